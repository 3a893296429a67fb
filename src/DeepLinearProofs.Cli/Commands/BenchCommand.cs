using System.CommandLine;
using System.Diagnostics;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Reporting;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp bench derive --widths ... [--mode expanded|blockwise] [--repeat n]</c>: one line with wall_s=.</summary>
public static class BenchCommand
{
    public static Command Create(TextWriter stdout)
    {
        var widths = new Option<string>("--widths") { Description = "widths d_0,...,d_N", Required = true };
        var target = new Option<string>("--target") { Description = "target (default symbolic, as in the SymPy anchor)", DefaultValueFactory = _ => "symbolic" };
        var mode = new Option<string>("--mode") { Description = "expanded: whole loss expanded; blockwise: generic blocks around each layer", DefaultValueFactory = _ => "expanded" };
        mode.AcceptOnlyFromAmong("expanded", "blockwise");
        var repeat = new Option<int>("--repeat") { Description = "runs; the median is printed", DefaultValueFactory = _ => 1 };
        var derive = new Command("derive", "derive the flow by differentiation and verify every C_j is conserved; prints wall_s= (in-process time)")
        {
            widths, target, mode, repeat,
        };
        derive.SetAction(parse =>
        {
            var arch = SimulateOptions.ParseWidths(parse.GetValue(widths)!);
            var tgt = SimulateOptions.ParseTarget(parse.GetValue(target)!);
            Networks.FlowDerivation.RequireSymbolsFit(arch, "bench derive"); // refused at once, as derive does
            var m = parse.GetValue(mode) == "blockwise" ? DerivationMode.Blockwise : DerivationMode.Expanded;
            int runs = parse.GetValue(repeat);
            if (runs < 1 || runs > 100) throw new UsageException("--repeat takes 1..100");
            var reports = Enumerable.Range(0, runs).Select(_ => DerivationWorkload.Run(arch, tgt, m)).OrderBy(r => r.Elapsed).ToList();
            var median = reports[reports.Count / 2];
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
            stdout.WriteLine(BenchOutput.Derive(arch, tgt, median, runs, peak));
            return median.AllHold ? ExitCodes.Ok : ExitCodes.ExpectationFailed;
        });
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.ZeroOrMore, Description = "lemma files or folders (default: the library)" };
        var verifyRepeat = new Option<int>("--repeat") { Description = "runs; medians are printed", DefaultValueFactory = _ => 3 };
        var verify = new Command("verify", "time every lemma/network check and the whole library (median of --repeat runs)") { paths, verifyRepeat };
        verify.SetAction(parse =>
        {
            int runs = parse.GetValue(verifyRepeat);
            if (runs < 1 || runs > 20) throw new UsageException("--repeat takes 1..20");
            var given = parse.GetValue(paths) ?? [];
            var targets = given.Length > 0 ? given : [VerifyCommand.DefaultLibrary()];
            var times = new Dictionary<string, List<double>>();
            var totals = new List<double>();
            Proofs.VerifyReport? last = null;
            for (int i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                last = Proofs.LemmaLibrary.Verify(targets);
                totals.Add(clock.Elapsed.TotalSeconds);
                foreach (var r in last.Results)
                {
                    var key = $"{r.LemmaId} [{r.Network}] {r.Method} {r.Outcome.Basis}";
                    if (!times.TryGetValue(key, out var list)) times[key] = list = [];
                    list.Add(r.Elapsed.TotalSeconds);
                }
            }
            static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
            foreach (var line in BenchOutput.VerifyTimes(times.Select(kv => (kv.Key, Median(kv.Value))))) stdout.WriteLine(line);
            stdout.WriteLine(BenchOutput.Verify(runs, last!.Results.Count, last.Passed, Median(totals)));
            return last.ExitCode;
        });
        return new Command("bench", "benchmarks (see README: Performance)") { derive, verify, BenchSimulate.Create(stdout), BenchSimulate.MakeProblem(stdout), BenchSweep.Create(stdout) };
    }
}
