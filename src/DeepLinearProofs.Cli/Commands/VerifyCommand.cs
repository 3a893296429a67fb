using System.CommandLine;
using System.Text.Json;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Smt;
using Spectre.Console;
using DeepLinearProofs.Kernel;
using Status = DeepLinearProofs.Kernel.Status;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp verify [PATH...] [--json] [--rlimit N] [--timeout S]</c>: checks lemma files and prints a table.</summary>
public static class VerifyCommand
{
    public static Command Create(TextWriter stdout, bool interactive, CancellationToken cancel = default)
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.ZeroOrMore, Description = "lemma files or folders (default: the built-in proofs/ library)" };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var crossCheck = new Option<bool>("--cross-check") { Description = "demand that a second solver route also answers unsat before 'proved'" };
        var second = new Option<string>("--second") { Description = "the second route for --cross-check: z3-wasm (default), cvc5 or z3-binary", DefaultValueFactory = _ => "z3-wasm" };
        second.AcceptOnlyFromAmong("z3-wasm", "cvc5", "z3-binary");
        var output = new Option<string>("--out") { Description = "folder for SMT certificates", DefaultValueFactory = _ => Path.Combine("out", "certificates") };
        var rlimit = new Option<long?>("--rlimit") { Description = $"Z3 resource limit per obligation, for every lemma (default: the lemma's rlimit, else {SolverBudget.DefaultRlimit})" };
        var timeout = new Option<int?>("--timeout") { Description = $"wall-clock cap in seconds per obligation, for every lemma; the solver is killed past it (default: the lemma's timeout_s, else {SolverBudget.DefaultWallCap.TotalSeconds:0})" };
        var command = new Command("verify", "check lemma files; exit 0 when every expectation holds, 1 when one fails, 2 on bad input, 130 when interrupted")
            { paths, json, crossCheck, second, output, rlimit, timeout };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(paths) ?? [];
            foreach (var g in given)
                if (g.StartsWith('-') && !File.Exists(g) && !Directory.Exists(g)) throw new UsageException($"unknown option '{g}'");
            var targets = given.Length > 0 ? given : [DefaultLibrary()];
            Networks.OutputFolder.RequireWritable(parse.GetValue(output)!, "--out");
            bool asJson = parse.GetValue(json);
            if (parse.GetValue(rlimit) is <= 0) throw new UsageException("--rlimit takes a positive whole number of Z3 resource units, e.g. --rlimit 50000000");
            if (parse.GetValue(timeout) is < 1 or > 3600) throw new UsageException("--timeout takes 1..3600 seconds");
            var options = new CheckOptions(new Z3Worker(),
                parse.GetValue(crossCheck) ? ExternalSolver.ByName(parse.GetValue(second)!, Tools.Z3WasmDirectory()) : null,
                parse.GetValue(output),
                parse.GetValue(rlimit),
                parse.GetValue(timeout) is int seconds ? TimeSpan.FromSeconds(seconds) : null);
            var report = interactive && !asJson ? WithProgress(targets, options, cancel) : LemmaLibrary.Verify(targets, cancel: cancel, options: options);
            if (asJson) stdout.WriteLine(JsonSerializer.Serialize(ToJson(report), new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            else Print(report, targets, stdout, interactive);
            return report.ExitCode;
        });
        return command;
    }

    /// <summary>./proofs when run from a checkout, else the copy shipped beside the binary.</summary>
    public static string DefaultLibrary()
    {
        var local = Path.Combine(Directory.GetCurrentDirectory(), "proofs");
        return Directory.Exists(local) ? local : Path.Combine(AppContext.BaseDirectory, "proofs");
    }

    private static VerifyReport WithProgress(string[] targets, CheckOptions options, CancellationToken cancel)
    {
        VerifyReport? report = null;
        AnsiConsole.Progress().Start(ctx =>
        {
            var task = ctx.AddTask("verifying lemmas");
            report = LemmaLibrary.Verify(targets, (_, done, total) =>
            {
                task.MaxValue = total;
                task.Value = done;
            }, cancel, options);
        });
        return report!;
    }

    private static void Print(VerifyReport report, string[] targets, TextWriter stdout, bool interactive)
    {
        if (report.Results.Count == 0 && report.Errors.Count > 0)
        {
            // Nothing was checked: the error lines are the whole answer (no empty table, no "0 passed").
            foreach (var e in report.Errors) stdout.WriteLine($"error: {e}");
            return;
        }
        var console = Consoles.For(stdout, interactive);
        stdout.WriteLine($"library: {string.Join(", ", targets)}");
        var table = new Table().AddColumns("lemma", "theory", "network (widths | target)", "method", "status", "basis", "time");
        foreach (var r in report.Results)
            table.AddRow(Markup.Escape(r.LemmaId), r.Theory, Markup.Escape(r.Network), r.Method, StatusText(r), Markup.Escape(r.Outcome.Basis), $"{r.Elapsed.TotalSeconds:F2}s");
        console.Write(table);
        // Details and errors are written unwrapped: one line each, so they can be grepped.
        foreach (var r in report.Results.Where(r => r.Outcome.Status != Status.Proved || !r.AsExpected))
            stdout.WriteLine($"{r.Path} [{r.Network}]: {StatusWord(r)}: {r.Outcome.Detail}");
        foreach (var e in report.Errors) stdout.WriteLine($"error: {e}");
        int evidence = report.Results.Count(r => r.AsExpected && r.Outcome.Status is Status.Supported or Status.Contradicted);
        int vacuous = report.Results.Count(r => r.AsExpected && r.Outcome.Status == Status.Vacuous);
        stdout.WriteLine($"verify: {report.Passed} passed ({report.Passed - evidence - vacuous} proved exactly or by SMT, {evidence} by numerical evidence only{(vacuous > 0 ? $", {vacuous} vacuous where allowed" : "")}), " +
                         $"{report.Failed} failed, {report.Inconclusive} inconclusive or bad input; kernel {ProofKernel.Version} ({ProofKernel.SourceLines} lines)");
    }

    private static string StatusWord(LemmaResult r) => r.Outcome.Status switch
    {
        Status.Proved when r.AsExpected => "proved",
        Status.Refuted when r.AsExpected => "refuted (expected)",
        Status.Proved => "FAILED: proved but expected to fail",
        Status.Refuted => "FAILED: refuted",
        Status.Supported when r.AsExpected => "supported (numerical evidence)",
        Status.Contradicted when r.AsExpected => "contradicted (expected; numerical evidence)",
        Status.Supported => "FAILED: numerical evidence supports a claim expected to fail",
        Status.Contradicted => "FAILED: numerical evidence contradicts",
        Status.Vacuous when r.AsExpected => "vacuous (allowed)",
        Status.Vacuous => "FAILED: vacuous (nothing was checked)",
        Status.Unknown => "unknown",
        _ => "error (ill-formed)",
    };

    private static string StatusText(LemmaResult r) =>
        r.AsExpected ? $"[green]{StatusWord(r)}[/]" : $"[red]{Markup.Escape(StatusWord(r))}[/]";

    private static object ToJson(VerifyReport report) => new
    {
        passed = report.Passed,
        failed = report.Failed,
        inconclusive = report.Inconclusive,
        exit_code = report.ExitCode,
        results = report.Results.Select(r => new
        {
            lemma = r.LemmaId,
            path = r.Path,
            theory = r.Theory,
            network = r.Network,
            method = r.Method,
            expected = r.Expected.ToString().ToLowerInvariant(),
            status = r.Outcome.Status.ToString().ToLowerInvariant(),
            as_expected = r.AsExpected,
            basis = r.Outcome.Basis,
            detail = r.Outcome.Detail,
            witness = r.Outcome.Witness?.Point.ToDictionary(p => p.Variable.Name, p => p.Value.ToString()),
            witness_value = r.Outcome.Witness?.Difference?.ToString(),
            certificates = r.Outcome.Certificates,
            seconds = Math.Round(r.Elapsed.TotalSeconds, 4),
        }),
        errors = report.Errors,
    };
}
