using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using Xunit;

namespace DeepLinearProofs.Tests.Dynamics;

public class SweepShardTests
{
    [Theory]
    [InlineData(60, 3)]
    [InlineData(10, 4)]
    [InlineData(7, 7)]
    [InlineData(1_000_000, 1000)]
    public void Shards_tile_the_start_ids_in_order_without_gaps_or_overlaps(int count, int shards)
    {
        int next = 0;
        for (int i = 0; i < shards; i++)
        {
            var (first, end) = new SweepShard(i, shards).Starts(count);
            Assert.Equal(next, first);
            Assert.InRange(end - first, count / shards, count / shards + 1);
            next = end;
        }
        Assert.Equal(count, next);
    }

    [Fact]
    public void A_starts_seed_depends_on_the_sweep_seed_and_the_start_id_alone()
    {
        Assert.Equal(1_000_003 + 42, Sweep.StartSeed(1, 42));
        Assert.Equal(2 * 1_000_003 + 42, Sweep.StartSeed(2, 42));
        // the first break found in shard 2 of 3 is the start the unsharded sweep reports, with the same seed
        var arch = Architecture.Parse("2,1,2");
        var t = Target.Parse("diag(1,1)");
        var req = new SweepRequest(arch, t, NumericTarget.Of(arch, t), "random:scale=0.3", 30, 3) { TMax = 10, Candidate = w => w[0] > 0, CandidateText = "W1[1,1] > 0" };
        var whole = Sweep.Run(req);
        var parts = Enumerable.Range(0, 3).Select(i => Sweep.RunShard(req, new SweepShard(i, 3))).ToList();
        var merged = Sweep.Report(req, SweepTally.Combine(parts)!, 3);
        Assert.NotNull(whole.FirstBreak);
        Assert.Equal(whole.FirstBreak!.Index, merged.FirstBreak!.Index);
        Assert.Equal(whole.FirstBreak.Seed, merged.FirstBreak.Seed);
        Assert.Equal(whole.FirstBreak.Weights, merged.FirstBreak.Weights);
        Assert.Equal(whole.Breaks, merged.Breaks);
        Assert.Equal(whole.Confusion, merged.Confusion);
        Assert.Equal(whole.Limits, merged.Limits);
        Assert.Equal(3, merged.Shards);
    }

    [Fact]
    public void Combined_tallies_order_tied_limits_by_their_first_start_as_one_run_does()
    {
        // starts 0..5: b a a b c c  -> one run: a, b, c all with 2 starts, in order of first appearance: b (0), a (1), c (4)
        var left = new SweepTally(0, 3, [new LimitTally("b", 1, 0), new LimitTally("a", 2, 1)], null, 0, null, 1);
        var right = new SweepTally(3, 6, [new LimitTally("b", 1, 3), new LimitTally("c", 2, 4)], null, 0, null, 2);
        var arch = Architecture.Parse("2,1,2");
        var t = Target.Parse("diag(1,1)");
        var req = new SweepRequest(arch, t, NumericTarget.Of(arch, t), "random:scale=0.3", 6, 1);
        foreach (var parts in new[] { new[] { left, right }, [right, left] })
        {
            var report = Sweep.Report(req, SweepTally.Combine(parts)!, 2);
            Assert.Equal(["b", "a", "c"], report.Limits.Select(l => l.Limit).ToArray());
            Assert.All(report.Limits, l => Assert.Equal(2, l.Count));
            Assert.Equal(3, report.WallSeconds);
        }
        Assert.Null(SweepTally.Combine([left, left]));    // overlap
        Assert.Null(SweepTally.Combine([left, right with { First = 4 }])); // gap
        Assert.Throws<ArgumentException>(() => Sweep.Report(req, left)); // a part is not the sweep
    }
}
