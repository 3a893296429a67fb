using System.CommandLine;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp verify [PATH...] [--json] [--rlimit N] [--timeout S]</c>: checks lemma files and prints a table.</summary>
public static class VerifyCommand
{
    public static Command Create(TextWriter stdout, Terminal terminal, CancellationToken cancel = default)
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.ZeroOrMore, Description = "lemma files or folders (default: the built-in proofs/ library)" };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var verbose = new Option<bool>("--verbose") { Description = "print every detail line in full (default: cut to the terminal width; --json always has everything)" };
        var crossCheck = new Option<bool>("--cross-check") { Description = "demand that a second solver route also answers unsat before 'proved'" };
        var second = new Option<string>("--second") { Description = "the second route for --cross-check: z3-wasm (default), cvc5 or z3-binary", DefaultValueFactory = _ => "z3-wasm" };
        second.AcceptOnlyFromAmong("z3-wasm", "cvc5", "z3-binary");
        var output = new Option<string>("--out") { Description = "folder for SMT certificates", DefaultValueFactory = _ => Path.Combine("out", "certificates") };
        var rlimit = new Option<long?>("--rlimit") { Description = $"Z3 resource limit per obligation, for every lemma (default: the lemma's rlimit, else {SolverBudget.DefaultRlimit})" };
        var timeout = new Option<int?>("--timeout") { Description = $"wall-clock cap in seconds per obligation, for every lemma; the solver is killed past it (default: the lemma's timeout_s, else {SolverBudget.DefaultWallCap.TotalSeconds:0})" };
        var command = new Command("verify", "check lemma files; exit 0 when every expectation holds, 1 when one fails, 2 on bad input, 130 when interrupted")
            { paths, json, verbose, crossCheck, second, output, rlimit, timeout };
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
            var report = asJson ? LemmaLibrary.Verify(targets, cancel: cancel, options: options)
                : terminal.WithProgress("verifying lemmas", tick => LemmaLibrary.Verify(targets, (_, done, total) => tick(done, total), cancel, options));
            if (asJson) stdout.WriteLine(VerifyOutput.Json(report));
            else VerifyOutput.Print(report, targets, stdout, terminal, parse.GetValue(verbose));
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
}
