using System.CommandLine;
using System.Diagnostics;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Reporting;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp bench simulate --problem FILE ...</c> (one line: wall_s= nfev= gap= drift=) and <c>dlp bench make-problem</c>.</summary>
public static class BenchSimulate
{
    public static Command Create(TextWriter stdout)
    {
        var opts = new SimulateOptions();
        opts.TMax.DefaultValueFactory = _ => 200;
        var repeat = new Option<int>("--repeat") { Description = "runs; the median wall time is printed", DefaultValueFactory = _ => 1 };
        var command = new Command("simulate", "integrate one problem without recording the path; prints wall_s= (integration only), nfev=, gap=, drift=, and GFLOP/s: whole run, right-hand side alone, plain matvec calibration");
        foreach (var o in opts.All) command.Options.Add(o);
        command.Options.Add(repeat);
        command.SetAction(parse =>
        {
            var (arch, target, z, start) = opts.Network(parse);
            int runs = parse.GetValue(repeat);
            if (runs < 1 || runs > 20) throw new UsageException("--repeat takes 1..20");
            var request = opts.Request(parse, arch, target, z, start!) with { Record = false, Reduction = Reduction.Full };
            // One untimed warm-up run over a hundredth of the interval, so that the JIT has compiled the hot loops.
            Simulator.Run(request with { TMax = request.TMax / 100 });
            var reports = Enumerable.Range(0, runs).Select(_ => Simulator.Run(request)).OrderBy(r => r.WallSeconds).ToList();
            var r = reports[reports.Count / 2];
            // The right-hand side alone at the start state, and the plain matrix-vector calibration, in the same process.
            var rhs = DeepLinearProofs.Dynamics.Flow.Throughput.RightHandSide(arch, z, request.Structure, request.Start.Weights);
            var matvec = DeepLinearProofs.Dynamics.Flow.Throughput.PlainMatVec(arch);
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
            stdout.WriteLine(BenchOutput.Simulate(request, r, runs, peak, rhs, matvec));
            return r.Stats!.Exit == DeepLinearProofs.Dynamics.Integration.IntegrationExit.ReachedEnd ? ExitCodes.Ok : ExitCodes.InconclusiveOrBadInput;
        });
        return command;
    }

    public static Command MakeProblem(TextWriter stdout)
    {
        var widths = new Option<string>("--widths") { Description = "widths d_0,...,d_N", Required = true };
        var seed = new Option<int>("--seed") { Description = "seed of U, V and the weights", DefaultValueFactory = _ => 1 };
        var scale = new Option<double>("--scale") { Description = "initial entries N(0, scale^2)", DefaultValueFactory = _ => 0.3 };
        var output = new Option<string>("--out") { Description = "problem file to write", Required = true };
        var command = new Command("make-problem", "write the reference benchmark problem: Z = U diag(3,2,1,0.5,0..) V^T, random orthogonal U, V; weights N(0, scale^2)") { widths, seed, scale, output };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(output)!;
            OutputFolder.RequireWritableFile(path, "--out");
            var arch = SimulateOptions.ParseWidths(parse.GetValue(widths)!);
            double sc = parse.GetValue(scale);
            if (!(sc > 0) || !double.IsFinite(sc) || sc > DeepLinearProofs.Dynamics.Simulation.Initialisation.MaxEntry)
                throw new Networks.NetworkInputException($"--scale must be a positive finite number up to 1e+06 (the entries are N(0, scale^2)), got {Networks.Num.G(sc, 6)}; 0.3 is the reference");
            var (z, w) = BenchmarkProblem.Make(arch, parse.GetValue(seed), sc);
            if (Path.GetDirectoryName(path) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
            Problem.Write(path, arch, z, w);
            stdout.WriteLine($"wrote {path} (widths {arch}, {w.Length} weights)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
