using System.CommandLine;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Cli.Commands;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;

namespace DeepLinearProofs.Cli;

/// <summary>Exit codes of dlp.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int ExpectationFailed = 1;
    public const int InconclusiveOrBadInput = 2;
    public const int Usage = 64;
}

/// <summary>The dlp command line: parses arguments, runs one command, turns user errors into one-line messages.</summary>
public static class DlpApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false)
    {
        var root = new RootCommand("dlp: exact and SMT-backed proofs about gradient flow of deep linear networks with a one-neuron layer")
        {
            VerifyCommand.Create(stdout, interactive),
            DeriveCommand.Create(stdout),
            BenchCommand.Create(stdout),
            RecheckCommand.Create(stdout),
            CheckCommand.Create(stdout),
            SimulateCommand.Create(stdout, interactive),
            SweepCommand.Create(stdout, interactive),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) stderr.WriteLine($"dlp: usage: {e.Message} (see 'dlp --help')");
            return ExitCodes.Usage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
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

    private static string? UserError(Exception e) => e switch
    {
        NetworkInputException n => n.Message,
        LemmaFileException l => l.OneLine,
        ExprSyntaxException s => $"column {s.Position + 1}: {s.Message}",
        ClaimException c => $"column {c.Position + 1}: {c.Message}",
        _ => null,
    };
}

/// <summary>An option value the parser accepted but the command cannot use; the message names the fix.</summary>
public sealed class UsageException(string message) : Exception(message);
