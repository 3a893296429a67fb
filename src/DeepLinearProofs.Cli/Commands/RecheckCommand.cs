using System.CommandLine;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Smt;
using DeepLinearProofs.Kernel;
using Spectre.Console;
using Status = DeepLinearProofs.Kernel.Status;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp recheck DIR --solver z3-wasm|cvc5|z3-binary|z3</c>: re-runs certificates on a second route.</summary>
public static class RecheckCommand
{
    public static Command Create(TextWriter stdout, CancellationToken cancel = default)
    {
        var dir = new Argument<string>("dir") { Description = "certificate folder (default out/certificates)", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => Path.Combine("out", "certificates") };
        var solver = new Option<string>("--solver") { Description = "z3-wasm (Z3 4.15, a different generation; default), cvc5, z3-binary (the same 4.8.12 as the z3 worker) or z3", DefaultValueFactory = _ => "z3-wasm" };
        solver.AcceptOnlyFromAmong("z3-wasm", "cvc5", "z3-binary", "z3");
        var timeout = new Option<int>("--timeout") { Description = "wall-clock cap in seconds per certificate (the solver is killed past it); the rlimit is the one the certificate records", DefaultValueFactory = _ => 120 };
        var kernel = new Option<bool>("--kernel") { Description = "replay every kernel certificate (*.kernel.json) with the kernel alone; recorded unsat obligations go to --solver (default z3)" };
        var command = new Command("recheck", "re-run SMT certificates on a second route (agreed / disagreed / second route unknown), or replay kernel certificates with --kernel") { dir, solver, timeout, kernel };
        command.SetAction(parse =>
        {
            var seconds = parse.GetValue(timeout);
            if (seconds < 1 || seconds > 3600) throw new UsageException("--timeout takes 1..3600 seconds");
            if (parse.GetValue(kernel))
                return Replay(parse.GetValue(dir)!, parse.GetResult(solver) is { Implicit: false } ? parse.GetValue(solver)! : "z3", TimeSpan.FromSeconds(seconds), stdout);
            var route = ExternalSolver.ByName(parse.GetValue(solver)!, Tools.Z3WasmDirectory());
            var rows = CertificateRecheck.Run(parse.GetValue(dir)!, route, TimeSpan.FromSeconds(seconds), cancel: cancel);
            var console = Consoles.For(stdout, false);
            var table = new Table().AddColumns("certificate", "first route", $"{route.Name}", "verdict", "time");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(Path.GetRelativePath(parse.GetValue(dir)!, r.File)), r.Expected, Markup.Escape(r.Got.Length > 60 ? r.Got[..60] + "..." : r.Got), Word(r.Status), $"{r.Elapsed.TotalSeconds:F2}s");
            console.Write(table);
            stdout.WriteLine($"recheck ({route.Name}): {rows.Count(r => r.Status == RecheckStatus.Agreed)} agreed, {rows.Count(r => r.Status == RecheckStatus.Disagreed)} disagreed, " +
                             $"{rows.Count(r => r.Status is RecheckStatus.SecondRouteUnknown or RecheckStatus.Unavailable)} second route unknown or unavailable, {rows.Count(r => r.Status == RecheckStatus.FirstRouteUnknown)} first route unknown");
            if (rows.FirstOrDefault(r => r.Status == RecheckStatus.Unavailable) is { } u) stdout.WriteLine($"{route.Name} unavailable: {u.Got}");
            return CertificateRecheck.ExitCode(rows);
        });
        return command;
    }

    private static int Replay(string dir, string solver, TimeSpan cap, TextWriter stdout)
    {
        var route = ExternalSolver.ByName(solver, Tools.Z3WasmDirectory());
        var rows = KernelReplay.Run(dir, route, cap);
        var table = new Table().AddColumns("lemma", "network", "recorded", "replayed by the kernel", "verdict", "time");
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Lemma), Markup.Escape(r.Network), Lower(r.Recorded), Lower(r.Replayed), r.Agreed ? "agreed" : "[red]DISAGREED[/]", $"{r.Elapsed.TotalSeconds:F2}s");
        Consoles.For(stdout, false).Write(table);
        foreach (var r in rows.Where(r => !r.Agreed)) stdout.WriteLine($"{r.File}: recorded {Lower(r.Recorded)}, replayed {Lower(r.Replayed)}: {r.Detail}");
        stdout.WriteLine($"recheck --kernel ({route.Name} for recorded unsat obligations): {rows.Count(r => r.Agreed)} agreed, {rows.Count(r => !r.Agreed)} disagreed, kernel {ProofKernel.Version}" +
                         (rows.Count == 0 ? $"; no *.kernel.json under {dir}: run 'dlp verify' first" : ""));
        return KernelReplay.ExitCode(rows);
    }

    private static string Lower(Status s) => s.ToString().ToLowerInvariant();

    private static string Word(RecheckStatus s) => s switch
    {
        RecheckStatus.Agreed => "agreed",
        RecheckStatus.Disagreed => "DISAGREED",
        RecheckStatus.SecondRouteUnknown => "second route unknown",
        RecheckStatus.FirstRouteUnknown => "first route unknown",
        _ => "unavailable",
    };
}
