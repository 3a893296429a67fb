using System.Collections.Concurrent;
using System.Diagnostics;

namespace DeepLinearProofs.Smt;

/// <summary>How a solver child process ended.</summary>
public abstract record SolverRun
{
    public sealed record Exited(int Code, string Stdout, string Stderr) : SolverRun;
    public sealed record Capped : SolverRun;
    public sealed record Cancelled : SolverRun;
    public sealed record Failed(string Message) : SolverRun;
}

/// <summary>
/// Runs solvers as child processes under a hard wall-clock cap (the process tree is killed), and keeps
/// the live ones so that an interrupt (<see cref="KillAll"/>) can stop every one at once.
/// </summary>
public static class SolverProcess
{
    private static readonly ConcurrentDictionary<Process, byte> Live = new();
    private static readonly CancellationTokenSource Interrupt = new();

    /// <summary>Solver processes currently running.</summary>
    public static int LiveCount => Live.Count;

    /// <summary>Kills every live solver and makes every later run answer cancelled (for Ctrl-C).</summary>
    public static void KillAll()
    {
        Interrupt.Cancel();
        foreach (var p in Live.Keys) Kill(p);
    }

    /// <summary>Starts the process, writes <paramref name="stdin"/> (kept open until it exits), waits at most <paramref name="cap"/>.</summary>
    public static SolverRun Run(ProcessStartInfo start, string? stdin, TimeSpan cap, CancellationToken cancel)
    {
        if (cancel.IsCancellationRequested || Interrupt.IsCancellationRequested) return new SolverRun.Cancelled();
        start.RedirectStandardInput = start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.UseShellExecute = false;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process started");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return new SolverRun.Failed(e.Message);
        }
        using (process)
        {
            Live[process] = 0;
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, Interrupt.Token);
                var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
                var writer = Task.Run(() => Feed(process, stdin), CancellationToken.None);
                var exited = process.WaitForExitAsync(CancellationToken.None);
                bool finished;
                try
                {
                    finished = exited.Wait((int)Math.Clamp(cap.TotalMilliseconds, 1, int.MaxValue), linked.Token);
                }
                catch (OperationCanceledException)
                {
                    Kill(process);
                    return new SolverRun.Cancelled();
                }
                if (!finished)
                {
                    Kill(process);
                    return new SolverRun.Capped();
                }
                if (linked.IsCancellationRequested) return new SolverRun.Cancelled();
                if (!Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(10))) return new SolverRun.Failed("output not closed after exit");
                writer.Wait(TimeSpan.FromSeconds(1));
                return new SolverRun.Exited(process.ExitCode, stdout.Result, stderr.Result);
            }
            finally
            {
                Live.TryRemove(process, out _);
            }
        }
    }

    private static void Feed(Process process, string? stdin)
    {
        try
        {
            if (stdin is null)
            {
                process.StandardInput.Close();
                return;
            }
            // Not closed afterwards: a worker takes EOF on stdin to mean that its parent is gone.
            process.StandardInput.Write(stdin);
            process.StandardInput.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process already ended; its exit code and output say why.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    /// <summary>First line of a stream's text, for one-line reasons.</summary>
    internal static string FirstLine(string text) => text.Trim().Split('\n', 2)[0].Trim();
}
