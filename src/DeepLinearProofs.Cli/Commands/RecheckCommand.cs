using System.CommandLine;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp recheck DIR --solver z3-wasm|cvc5|z3-binary|z3</c>: re-runs certificates on a second route.</summary>
public static class RecheckCommand
{
    public static Command Create(TextWriter stdout, Terminal terminal, CancellationToken cancel = default)
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
                return Replay(parse.GetValue(dir)!, parse.GetResult(solver) is { Implicit: false } ? parse.GetValue(solver)! : "z3", TimeSpan.FromSeconds(seconds), stdout, terminal);
            var route = ExternalSolver.ByName(parse.GetValue(solver)!, Tools.Z3WasmDirectory());
            var rows = CertificateRecheck.Run(parse.GetValue(dir)!, route, TimeSpan.FromSeconds(seconds), cancel: cancel);
            RecheckOutput.Print(rows, parse.GetValue(dir)!, route.Name, stdout, terminal);
            return CertificateRecheck.ExitCode(rows);
        });
        return command;
    }

    private static int Replay(string dir, string solver, TimeSpan cap, TextWriter stdout, Terminal terminal)
    {
        var route = ExternalSolver.ByName(solver, Tools.Z3WasmDirectory());
        var rows = KernelReplay.Run(dir, route, cap);
        RecheckOutput.PrintReplay(rows, dir, route.Name, stdout, terminal);
        return KernelReplay.ExitCode(rows);
    }
}
