using System.CommandLine;
using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Simulation;
using Spectre.Console;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp simulate</c>: integrate one start, classify its limit, fit stage rates, write CSV/JSON and a plot.</summary>
public static class SimulateCommand
{
    public static Command Create(TextWriter stdout, bool interactive)
    {
        var opts = new SimulateOptions();
        var outDir = new Option<string>("--out") { Description = "output folder for CSV, JSON and plot", DefaultValueFactory = _ => Path.Combine("out", "simulate") };
        var name = new Option<string>("--name") { Description = "base name of the output files", DefaultValueFactory = _ => "simulation" };
        var plot = new Option<string>("--plot") { Description = "png | svg | none", DefaultValueFactory = _ => "png" };
        plot.AcceptOnlyFromAmong("png", "svg", "none");
        var json = new Option<bool>("--json") { Description = "print the JSON report instead of the table" };
        var command = new Command("simulate", "integrate the gradient flow from one start; classify the limit (numerical evidence, never 'proved')");
        foreach (var o in opts.All) command.Options.Add(o);
        command.Options.Add(outDir);
        command.Options.Add(name);
        command.Options.Add(plot);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(outDir)!;
            Networks.OutputFolder.RequireWritable(dir, "--out");
            RequirePlainName(parse.GetValue(name)!);
            var (arch, target, z, start) = opts.Network(parse);
            var report = Simulator.Run(opts.Request(parse, arch, target, z, start!));
            Directory.CreateDirectory(dir);
            var stem = Path.Combine(dir, parse.GetValue(name)!);
            File.WriteAllText(stem + ".csv", ReportFiles.Csv(report));
            File.WriteAllText(stem + ".json", ReportFiles.Json(report));
            var format = parse.GetValue(plot);
            if (format != "none") ReportFiles.Plot(report, $"{stem}.{format}");
            if (parse.GetValue(json)) stdout.WriteLine(ReportFiles.Json(report));
            else Print(report, stdout, Consoles.For(stdout, interactive), stem, format!);
            return report.Classification.Class == LimitClass.Undetermined ? ExitCodes.InconclusiveOrBadInput : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>--name is a file name inside --out, never a path: refused (not sanitised) so nothing lands where the user did not ask.</summary>
    internal static void RequirePlainName(string name)
    {
        if (name.Length == 0 || name.Trim() is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new Networks.NetworkInputException($"--name '{name}' is not a plain file name: give a name without folders or '..' (e.g. --name run1) and put the folder in --out");
    }

    internal static void Print(SimulationReport r, TextWriter o, IAnsiConsole console, string stem, string plot)
    {
        var req = r.Request;
        o.WriteLine($"network {req.Architecture} | target {req.Target.Describe()} | start {req.Start.Description}");
        o.WriteLine($"trajectory: {r.Trajectory}; {r.Provenance}; t in [0, {req.TMax}]");
        if (r.Stats is { } st)
            o.WriteLine($"integration: {st.Exit}, steps {st.Steps} (rejected {st.Rejected}), nfev {st.Evaluations}, wall {r.WallSeconds:F3} s; flops/evaluation {r.FlopsPerEvaluation} (dense would be {r.DenseFlopsPerEvaluation}); Z applied as {r.TargetApplication}");
        o.WriteLine($"monitors: max drift of C_j {r.MaxDrift:e2}; loss increases {r.LossIncreases}; final loss {SimulateOptions.F(r.FinalLoss)}, gap {r.FinalGap:e3}");
        o.WriteLine($"limit: {r.Classification.Describe()}  [{r.Classification.Basis}; numerical evidence, not a proof]");
        foreach (var e in r.Classification.Evidence) o.WriteLine($"  - {e}");
        if (r.Stages.Count > 0)
        {
            var table = new Table().AddColumns("stage", "time span", "quantity", "fitted", "predicted");
            foreach (var s in r.Stages)
                table.AddRow(Markup.Escape(s.Kind), Markup.Escape($"[{s.From:g4}, {s.To:g4}]"), Markup.Escape(s.Quantity), s.Fitted is double f ? f.ToString("g5") : "-", s.Predicted is double p ? p.ToString("g5") : "-");
            console.Write(table);
        }
        foreach (var n in r.Notes) o.WriteLine($"note: {n}");
        o.WriteLine($"wrote {stem}.csv, {stem}.json" + (plot == "none" ? "" : $", {stem}.{plot}"));
    }
}
