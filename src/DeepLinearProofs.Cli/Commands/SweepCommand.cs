using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Proofs;
using Spectre.Console;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp sweep</c>: many seeded starts on all cores; fractions per limit with 95% intervals; a candidate characterisation tested.</summary>
public static class SweepCommand
{
    public static Command Create(TextWriter stdout, bool interactive)
    {
        var widths = new Option<string>("--widths") { Description = "widths d_0,...,d_N", Required = true };
        var target = new Option<string>("--target") { Description = "diag(3,2,1) | [[..]] rows", Required = true };
        var sampler = new Option<string>("--init") { Description = "random:scale=0.3 | balanced-random:sigma=1/2", DefaultValueFactory = _ => "random:scale=0.3" };
        var count = new Option<int>("--count") { Description = "number of starts", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "base seed (start i uses seed*1000003 + i)", DefaultValueFactory = _ => 1 };
        var tMax = new Option<double>("--t-max") { Description = "final time", DefaultValueFactory = _ => 50 };
        var rtol = new Option<double>("--rtol") { DefaultValueFactory = _ => 1e-8, Description = "relative tolerance" };
        var atol = new Option<double>("--atol") { DefaultValueFactory = _ => 1e-10, Description = "absolute tolerance" };
        var candidate = new Option<string?>("--candidate") { Description = "formula predicting 'reaches the global minimiser', e.g. \"P[1,1] > 0\"; the first start that breaks it is reported" };
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => Path.Combine("out", "sweep") };
        var command = new Command("sweep", "simulate many seeded starts in parallel; report the fraction reaching each limit (numerical evidence)")
        {
            widths, target, sampler, count, seed, tMax, rtol, atol, candidate, outDir,
        };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(outDir)!;
            Networks.OutputFolder.RequireWritable(dir, "--out");
            var arch = Networks.Architecture.Parse(parse.GetValue(widths)!);
            var tgt = Networks.Target.Parse(parse.GetValue(target)!);
            var z = DeepLinearProofs.Dynamics.Flow.NumericTarget.Of(arch, tgt);
            var cand = parse.GetValue(candidate);
            var req = new SweepRequest(arch, tgt, z, parse.GetValue(sampler)!, parse.GetValue(count), parse.GetValue(seed))
            {
                TMax = parse.GetValue(tMax), RelTol = parse.GetValue(rtol), AbsTol = parse.GetValue(atol),
                Candidate = cand is null ? null : CandidateCharacterisation.Compile(arch, tgt, cand),
                CandidateText = cand,
            };
            Sweep.Validate(req);
            SweepReport report;
            if (interactive)
            {
                SweepReport? r = null;
                AnsiConsole.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask($"sweeping {req.Count} starts", maxValue: req.Count);
                    r = Sweep.Run(req, d => task.Value = d);
                });
                report = r!;
            }
            else report = Sweep.Run(req);
            Print(report, stdout, Consoles.For(stdout, interactive));
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "sweep.json");
            File.WriteAllText(path, JsonSerializer.Serialize(new
            {
                widths = arch.Widths, target = tgt.Describe(), sampler = req.Sampler, count = req.Count, seed = req.Seed, t_max = req.TMax, rtol = req.RelTol,
                verdict_kind = "numerical evidence (never 'proved')",
                wall_s = report.WallSeconds,
                limits = report.Limits,
                candidate = cand, candidate_breaks = report.Breaks,
                first_break = report.FirstBreak,
            }, new JsonSerializerOptions { WriteIndented = true }));
            stdout.WriteLine($"wrote {path}");
            return report.FirstBreak is null ? ExitCodes.Ok : ExitCodes.ExpectationFailed;
        });
        return command;
    }

    private static void Print(SweepReport r, TextWriter o, IAnsiConsole console)
    {
        var q = r.Request;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep: {q.Count} starts ({q.Sampler}, seed {q.Seed}) on {q.Architecture} | {q.Target.Describe()}, t_max {q.TMax}, rtol {q.RelTol:g2}; {r.WallSeconds:F2} s on {Environment.ProcessorCount} cores; numerical evidence"));
        var table = new Table().AddColumns("limit", "starts", "fraction", "95% interval (Wilson)");
        foreach (var l in r.Limits)
            table.AddRow(Markup.Escape(l.Limit), l.Count.ToString(CultureInfo.InvariantCulture), l.Fraction.ToString("F4", CultureInfo.InvariantCulture),
                Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"[{l.Low:F4}, {l.High:F4}]")));
        console.Write(table);
        if (r.Confusion is { } c)
        {
            o.WriteLine($"candidate \"{q.CandidateText}\" (true = predicted to reach the global minimiser):");
            o.WriteLine($"  predicted yes: reached {c[1, 1]}, did not {c[1, 0]}; predicted no: reached {c[0, 1]}, did not {c[0, 0]}");
            if (r.FirstBreak is { } b)
                o.WriteLine($"  BROKEN {r.Breaks} times; first at start {b.Index} (seed {b.Seed}): predicted {(b.Predicted ? "global minimiser" : "not the global minimiser")}, found {b.Found}; weights [{string.Join(", ", b.Weights.Select(w => w.ToString("R", CultureInfo.InvariantCulture)))}]");
            else o.WriteLine($"  never broken on these {q.Count} starts (evidence, not a proof)");
        }
    }
}
