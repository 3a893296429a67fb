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
        // Numbers are read and printed in the invariant culture whatever the locale: under de_DE "--t-max 0.5" was read as 5
        // and messages printed "5,6e-15" and "8.192 weights".
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
        terminal ??= Terminal.Detect(interactive);
        var root = new RootCommand("dlp: exact and SMT-backed proofs about gradient flow of deep linear networks with a one-neuron layer")
        {
            VerifyCommand.Create(stdout, terminal, cancel),
            DeriveCommand.Create(stdout),
            BenchCommand.Create(stdout),
            RecheckCommand.Create(stdout, terminal, cancel),
            CheckCommand.Create(stdout, terminal, stderr, cancel),
            SimulateCommand.Create(stdout, terminal),
            SweepCommand.Create(stdout, terminal),
            ExamplesCommand.Create(stdout, stderr, cancel),
            StatusCommand.Create(stdout, terminal, cancel),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) stderr.WriteLine($"dlp: usage: {OneLine(e.Message)} (see 'dlp --help')");
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

    /// <summary>A parser message on one line, in dlp's words: "Must be one of:" lists join with commas, and a number
    /// that does not parse names the flag and what it takes instead of a .NET type.</summary>
    internal static string OneLine(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'\.?$", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (m.Success)
        {
            var type = m.Groups[3].Value; // System.Double, System.Nullable`1[System.Int32], ...
            string takes = type.Contains("Double") ? "a number (e.g. 50, 1e-10)"
                : type.Contains("Int32") ? "an integer from -2147483648 to 2147483647"
                : type.Contains("Int64") ? "an integer from -9223372036854775808 to 9223372036854775807"
                : $"a value of type {type}";
            return $"{m.Groups[2].Value} takes {takes}, got '{m.Groups[1].Value}'";
        }
        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length <= 1 ? message.Trim() : lines[0] + " " + string.Join(", ", lines.Skip(1));
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
        // Last resort for files that could not be read or written after the up-front checks (disk full, a path the
        // checks did not foresee): one line, not a stack trace.
        PathTooLongException p => $"{p.Message} Give a shorter path or name.",
        IOException or UnauthorizedAccessException => $"file error: {e.Message}",
        _ => null,
    };
}

/// <summary>An option value the parser accepted but the command cannot use; the message names the fix.</summary>
public sealed class UsageException(string message) : Exception(message);
