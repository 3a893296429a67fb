using System.CommandLine;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Cli.Commands;

/// <summary>
/// <c>dlp examples [E1 ... E6] [--out DIR] [--format html|md|latex|json|all]</c>: regenerates the necessity examples (docs/theory.md,
/// section 6) as a report (certificates by the kernel, trajectories as numerical evidence, figures) in every format asked for.
/// </summary>
public static class ExamplesCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        var items = new Argument<string[]>("examples") { Arity = ArgumentArity.ZeroOrMore, Description = $"which examples ({string.Join(", ", NecessityExamples.Items)}; default: all six)" };
        var outDir = new Option<string>("--out") { Description = "output folder (the report, figures/ and certificates/)", DefaultValueFactory = _ => Path.Combine("out", "examples") };
        var format = new Option<string>("--format") { Description = "html | md | latex | json | all", DefaultValueFactory = _ => "all" };
        format.AcceptOnlyFromAmong("html", "md", "latex", "json", "all");
        var library = new Option<string>("--library") { Description = "lemma library to take the examples from (default: the built-in proofs/ library)" };
        var command = new Command("examples", "regenerate the necessity examples E1-E6 as a report: the condition each breaks, its certificate steps with the kernel's verdicts, its trajectories and figures; exit 2 when a step is not proved")
            { items, outDir, format, library };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(items) ?? [];
            foreach (var g in given)
                if (g.StartsWith('-')) throw new UsageException($"unknown option '{g}'");
            if (NecessityExamples.Unknown(given) is [var bad, ..])
                throw new UsageException($"'{bad}' is not a necessity example: give any of {string.Join(", ", NecessityExamples.Items)} (or none for all six)");
            var wanted = given.Length == 0 ? NecessityExamples.Items : given.Select(g => g.ToUpperInvariant()).Distinct().OrderBy(g => g, StringComparer.Ordinal).ToList();
            var dir = parse.GetValue(outDir)!;
            Networks.OutputFolder.RequireWritable(dir, "--out");
            var lib = parse.GetValue(library) ?? VerifyCommand.DefaultLibrary();
            if (!Directory.Exists(lib) && !File.Exists(lib)) throw new Networks.NetworkInputException($"--library {lib}: no such folder; give the lemma library's folder (e.g. --library proofs)");
            var theory = TheoryDocument(lib);
            var options = new CheckOptions(new Z3Worker(), CertificateDirectory: Path.Combine(dir, "certificates"));
            var examples = NecessityExamples.Regenerate(lib, wanted, options, theory, cancel: cancel);
            var formats = parse.GetValue(format) == "all" ? ExamplesReport.Formats : [parse.GetValue(format)!];
            var doc = ExamplesReport.Build(examples, dir, new ExamplesReport.Sources(lib, theory));
            var files = ExamplesReport.Write(doc, dir, formats.ToList());
            foreach (var ex in examples)
            {
                int settled = ex.Steps.Count(s => s.Settled);
                var open = ex.Steps.Where(s => !s.Settled).Select(s => $"{s.Lemma} [{s.Network}] {s.What}: {s.Status.ToString().ToLowerInvariant()}").ToList();
                stdout.WriteLine($"{ex.Item}: {settled}/{ex.Steps.Count} certificate steps settled by the kernel, {ex.Simulations.Count} trajectories (numerical evidence)" +
                    (open.Count > 0 ? $"; NOT proved: {string.Join("; ", open)}" : "") + (ex.Problems.Count > 0 ? $"; {string.Join("; ", ex.Problems)}" : ""));
            }
            stdout.WriteLine($"wrote {string.Join(", ", files.Where(f => !f.Contains($"{Path.DirectorySeparatorChar}figures{Path.DirectorySeparatorChar}")))}" +
                (files.Any(f => f.Contains($"{Path.DirectorySeparatorChar}figures{Path.DirectorySeparatorChar}")) ? $" and {files.Count(f => f.Contains($"{Path.DirectorySeparatorChar}figures{Path.DirectorySeparatorChar}"))} figure(s) in {Path.Combine(dir, "figures")}" : ""));
            return ExamplesReport.ExitCode(examples);
        });
        return command;
    }

    /// <summary>docs/theory.md beside the library (the checkout the library is in), else beside the binary; null when neither exists.</summary>
    internal static string? TheoryDocument(string library)
    {
        for (var d = new DirectoryInfo(Path.GetFullPath(library)); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "docs", "theory.md");
            if (File.Exists(candidate)) return candidate;
        }
        var shipped = Path.Combine(AppContext.BaseDirectory, "docs", "theory.md");
        return File.Exists(shipped) ? shipped : null;
    }
}
