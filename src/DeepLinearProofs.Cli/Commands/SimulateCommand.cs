using System.CommandLine;
using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Reporting;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp simulate</c>: integrate one start, classify its limit, fit stage rates, write CSV/JSON and a plot.</summary>
public static class SimulateCommand
{
    public static Command Create(TextWriter stdout, Terminal terminal)
    {
        var opts = new SimulateOptions();
        var outDir = new Option<string>("--out") { Description = "output folder for CSV, JSON and plot", DefaultValueFactory = _ => Path.Combine("out", "simulate") };
        var name = new Option<string>("--name") { Description = "base name of the output files", DefaultValueFactory = _ => "simulation" };
        var plot = new Option<string>("--plot") { Description = "png | svg | none", DefaultValueFactory = _ => "png" };
        plot.AcceptOnlyFromAmong("png", "svg", "none");
        var json = new Option<bool>("--json") { Description = "print the JSON report instead of the table" };
        var verbose = new Option<bool>("--verbose") { Description = "print every evidence line in full (default: cut to the terminal width; the JSON always has everything)" };
        var command = new Command("simulate", "integrate the gradient flow from one start; classify the limit (numerical evidence, never 'proved')");
        foreach (var o in opts.All) command.Options.Add(o);
        command.Options.Add(outDir);
        command.Options.Add(name);
        command.Options.Add(plot);
        command.Options.Add(json);
        command.Options.Add(verbose);
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(outDir)!;
            Networks.OutputFolder.RequireWritable(dir, "--out");
            RequirePlainName(parse.GetValue(name)!);
            var (arch, target, z, start) = opts.Network(parse);
            var report = Simulator.Run(opts.Request(parse, arch, target, z, start!));
            var stem = Path.Combine(dir, parse.GetValue(name)!);
            var format = parse.GetValue(plot)!;
            SimulationFiles.Write(report, stem, format);
            if (parse.GetValue(json)) stdout.WriteLine(SimulationFiles.Json(report));
            else SimulationPrinter.Print(report, stdout, terminal, stem, format, parse.GetValue(verbose));
            return report.Classification.Class == LimitClass.Undetermined ? ExitCodes.InconclusiveOrBadInput : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>--name is a file name inside --out, never a path: refused (not sanitised) so nothing lands where the user did not ask.</summary>
    internal static void RequirePlainName(string name)
    {
        if (name.Length == 0 || name.Trim() is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new Networks.NetworkInputException($"--name '{name}' is not a plain file name: give a name without folders or '..' (e.g. --name run1) and put the folder in --out");
        if (name.Any(char.IsControl))
            throw new Networks.NetworkInputException("--name contains a control character (newline, tab, ...): give a plain name (e.g. --name run1)");
        // The longest file written is NAME.json / .csv / .png / .svg; a file name has at most 255 bytes on Linux.
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            throw new Networks.NetworkInputException($"--name is {System.Text.Encoding.UTF8.GetByteCount(name)} bytes long; file names allow {MaxNameBytes} (255 with the extension): give a shorter name");
    }

    /// <summary>Longest --name in UTF-8 bytes: 255 (the file-name limit) less ".json".</summary>
    internal const int MaxNameBytes = 250;
}
