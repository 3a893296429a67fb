using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>
/// A sharded sweep through a real (one-node) Slurm cluster: dlp submits the array job and the afterok merge job, the
/// test waits for both, and the merged report must equal the sweep run in one process. Category Slurm: .ci/run runs it
/// only when it could install slurm-wlm and munge; elsewhere it is skipped with the reason.
/// </summary>
[Trait("Category", "Slurm")]
public class SlurmClusterTests(ITestOutputHelper log)
{
    [SlurmFact]
    public void A_sweep_submitted_as_an_array_job_merges_into_the_unsharded_report()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var whole = Directory.CreateTempSubdirectory("dlp-slurm-whole-").FullName;
            var sharded = Directory.CreateTempSubdirectory("dlp-slurm-shards-").FullName;
            var one = DlpRunner.Run(["sweep", .. SweepShardCliTests.Small, "--out", whole]);
            Assert.True(one.Code == 1, one.Err + one.Out);
            var submit = DlpRunner.Run(["sweep", .. SweepShardCliTests.Small, "--out", sharded, "--slurm", "--array-size", "3", "--time", "00:10:00"]);
            Assert.True(submit.Code == 0, submit.Err + submit.Out);
            var ids = Regex.Match(submit.Out, @"submitted array job (\d+) \(3 tasks\) and merge job (\d+) \(--dependency=afterok:\1\)");
            Assert.True(ids.Success, submit.Out);
            string array = ids.Groups[1].Value, merge = ids.Groups[2].Value;
            var wait = Stopwatch.StartNew();
            while (OneNodeSlurm.Sh($"squeue -h -j {array},{merge} -o %i", 10) is { Code: 0, Output.Length: > 0 })
            {
                Assert.True(wait.Elapsed < TimeSpan.FromMinutes(4), $"jobs still queued after 4 min: {OneNodeSlurm.Sh("squeue", 10).Output}");
                Thread.Sleep(1000);
            }
            var mergeLog = Path.Combine(sharded, "slurm", $"merge-{merge}.out");
            var tasks = Directory.GetFiles(Path.Combine(sharded, "slurm"), "sweep-*.out").Select(File.ReadAllText);
            Assert.True(File.Exists(mergeLog), $"no merge log (the merge job did not run: a task failed?): {string.Join(" | ", tasks)}");
            Assert.Equal(3, Directory.GetFiles(sharded, "sweep-shard-*-of-3.json").Length);
            Assert.Equal(SweepShardCliTests.Comparable(one.Out), SweepShardCliTests.Comparable(File.ReadAllText(mergeLog)));
            Assert.Equal(SweepShardCliTests.ComparableJson(Path.Combine(whole, "sweep.json")), SweepShardCliTests.ComparableJson(Path.Combine(sharded, "sweep.json")));
            log.WriteLine($"cluster start {OneNodeSlurm.StartSeconds:F1} s; submit to merged report {wait.Elapsed.TotalSeconds:F1} s; test {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            OneNodeSlurm.Stop();
        }
    }
}
