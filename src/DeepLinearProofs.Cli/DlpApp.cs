using System.CommandLine;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Cli.Commands;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Cli;

/// <summary>Exit codes of dlp.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int ExpectationFailed = 1;
    public const int InconclusiveOrBadInput = 2;
    public const int Usage = 64;
    public const int Interrupted = 130;
}

/// <summary>The dlp command line: parses arguments, runs one command, turns user errors into one-line messages.</summary>
public static class DlpApp
{
    private static int _interruptReported;

    /// <summary>Runs one command; <paramref name="cancel"/> is the process-wide interrupt (Ctrl-C) passed to solver calls;
    /// <paramref name="terminal"/> overrides the detected width (tests).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false, CancellationToken cancel = default, Terminal? terminal = null)
    {
        terminal ??= Terminal.Detect(interactive);
        var root = new RootCommand("dlp: exact and SMT-backed proofs about gradient flow of deep linear networks with a one-neuron layer")
        {
            VerifyCommand.Create(stdout, terminal, cancel),
            DeriveCommand.Create(stdout),
            BenchCommand.Create(stdout),
            RecheckCommand.Create(stdout, terminal, cancel),
            CheckCommand.Create(stdout, terminal),
            SimulateCommand.Create(stdout, terminal),
            SweepCommand.Create(stdout, terminal),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) stderr.WriteLine($"dlp: usage: {e.Message} (see 'dlp --help')");
            return ExitCodes.Usage;
        }
        try
        {
            int code = parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
            return cancel.IsCancellationRequested ? Interrupted(stderr) : code;
        }
        catch (Exception e) when (cancel.IsCancellationRequested && IsCancellation(e))
        {
            return Interrupted(stderr);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"dlp: usage: {e.Message} (see 'dlp --help')");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (UserError(e) is { } message)
        {
            stderr.WriteLine($"dlp: error: {message}");
            return ExitCodes.InconclusiveOrBadInput;
        }
    }

    /// <summary>
    /// Ctrl-C: cancels the command's token and kills every solver process; the command then unwinds and
    /// returns 130. Should it not within 0.75 s (exact computations do not poll the token), the process exits 130 itself.
    /// </summary>
    public static void Interrupt(CancellationTokenSource command, TextWriter stderr)
    {
        // The watchdog starts first and nothing here blocks: the signal handler returns at once, and killing the solvers
        // (which waits for each to be reaped) runs on a thread of its own.
        new Thread(() =>
        {
            Thread.Sleep(750);
            Interrupted(stderr);
            Environment.Exit(ExitCodes.Interrupted);
        }) { IsBackground = true, Name = "interrupt watchdog" }.Start();
        new Thread(SolverProcess.KillAll) { IsBackground = true, Name = "interrupt kill" }.Start();
        command.Cancel();
    }

    private static int Interrupted(TextWriter stderr)
    {
        if (Interlocked.Exchange(ref _interruptReported, 1) == 0)
        {
            stderr.WriteLine("interrupted");
            stderr.Flush();
        }
        return ExitCodes.Interrupted;
    }

    private static bool IsCancellation(Exception e) => e switch
    {
        OperationCanceledException => true,
        AggregateException a => a.Flatten().InnerExceptions.All(IsCancellation),
        _ => false,
    };

    private static string? UserError(Exception e) => e switch
    {
        DeepLinearProofs.Dynamics.Simulation.RequestFieldException { Field: DeepLinearProofs.Dynamics.Simulation.RequestField.MemoryBudget } m => $"{m.Problem}, or add --allow-large to run anyway",
        DeepLinearProofs.Dynamics.Simulation.RequestFieldException r => $"{Commands.SimulateOptions.Flag(r.Field)} {r.Problem}",
        NetworkInputException n => n.Message,
        AggregateException a when a.Flatten().InnerExceptions is [var only] => UserError(only),
        LemmaFileException l => l.OneLine,
        ExprSyntaxException s => $"column {s.Position + 1}: {s.Message}",
        ClaimException c => $"column {c.Position + 1}: {c.Message}",
        _ => null,
    };
}

/// <summary>An option value the parser accepted but the command cannot use; the message names the fix.</summary>
public sealed class UsageException(string message) : Exception(message);
