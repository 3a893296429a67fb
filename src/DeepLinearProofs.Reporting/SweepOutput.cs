using System.Globalization;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using Spectre.Console;

namespace DeepLinearProofs.Reporting;

/// <summary>The printout and <c>sweep.json</c> of <c>dlp sweep</c>.</summary>
public static class SweepOutput
{
    public static void Print(SweepReport r, TextWriter o, Terminal terminal)
    {
        var q = r.Request;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep: {q.Count} starts ({q.Sampler}, seed {q.Seed}) on {q.Architecture} | {q.Target.Describe()}, t_max {Num.G(q.TMax)}, rtol {Num.G(q.RelTol, 2)}; {Timing(r)}; numerical evidence"));
        var table = new Table().AddColumns("limit", "starts", "fraction", "95% interval (Wilson)");
        foreach (var l in r.Limits)
            table.AddRow(Markup.Escape(l.Limit), l.Count.ToString(CultureInfo.InvariantCulture), Num.F(l.Fraction, 4),
                Markup.Escape($"[{Num.F(l.Low, 4)}, {Num.F(l.High, 4)}]"));
        terminal.Console(o).Write(table);
        if (r.Confusion is { } c)
        {
            o.WriteLine($"candidate \"{q.CandidateText}\" (true = predicted to reach the global minimiser):");
            o.WriteLine($"  predicted yes: reached {c[1, 1]}, did not {c[1, 0]}; predicted no: reached {c[0, 1]}, did not {c[0, 0]}");
            if (r.FirstBreak is { } b)
                o.WriteLine($"  BROKEN {r.Breaks} times; first at start {b.Index} (seed {b.Seed}): predicted {(b.Predicted ? "global minimiser" : "not the global minimiser")}, found {b.Found}; weights [{string.Join(", ", b.Weights.Select(w => Num.G(w)))}]");
            else o.WriteLine($"  never broken on these {q.Count} starts (evidence, not a proof)");
        }
    }

    /// <summary>The line of a shard run: which starts, where the file is, and how to combine the shards.</summary>
    public static void PrintShard(SweepRequest q, SweepShard shard, SweepTally t, string path, TextWriter o)
    {
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep shard {shard}: starts {t.First}..{t.End - 1} of {q.Count} ({q.Sampler}, seed {q.Seed}) on {q.Architecture} | {q.Target.Describe()}; {Num.F(t.WallSeconds, 2)} s on {Environment.ProcessorCount} cores; numerical evidence"));
        o.WriteLine($"wrote {path}; when all {shard.Of} shards are there: dlp sweep merge {Path.GetDirectoryName(path)}");
    }

    /// <summary>The one wall-clock part of the printout: "6.68 s on 2 cores", or for merged shards "41.20 s summed over 8 shards".</summary>
    public static string Timing(SweepReport r) => r.Shards > 1
        ? $"{Num.F(r.WallSeconds, 2)} s summed over {r.Shards} shards"
        : $"{Num.F(r.WallSeconds, 2)} s on {Environment.ProcessorCount} cores";

    /// <summary>Everything about the sweep, snake_case keys (see <see cref="JsonOutput"/>).</summary>
    public static object JsonModel(SweepReport r)
    {
        var q = r.Request;
        return new
        {
            widths = q.Architecture.Widths, target = q.Target.Describe(), sampler = q.Sampler, count = q.Count, seed = q.Seed, t_max = q.TMax, rtol = q.RelTol, atol = q.AbsTol,
            verdict_kind = "numerical evidence (never 'proved')",
            // The wall-clock fields: everything else is the same for a run on one machine and for its shards merged.
            wall_s = r.WallSeconds, wall_clock = Timing(r),
            integration = r.Integration,
            limits = r.Limits,
            candidate = q.CandidateText, candidate_breaks = r.Breaks,
            first_break = r.FirstBreak,
        };
    }

    public static string Json(SweepReport r) => JsonOutput.Serialize(JsonModel(r));

    /// <summary>Writes DIR/sweep.json and returns its path.</summary>
    public static string Write(SweepReport r, string dir)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "sweep.json");
        File.WriteAllText(path, Json(r));
        return path;
    }
}
