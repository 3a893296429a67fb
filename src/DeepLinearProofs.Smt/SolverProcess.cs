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
                // No thread-pool work here: a verify run fills the pool with blocked checks, and a queued writer or
                // reader would then wait for a thread while the worker waits for its script (seen as a 300 s cap under load).
                var stdout = Reader(process.StandardOutput);
                var stderr = Reader(process.StandardError);
                Feed(process, stdin);
                var clock = Stopwatch.StartNew();
                while (!process.WaitForExit(50))
                {
                    if (cancel.IsCancellationRequested || Interrupt.IsCancellationRequested)
                    {
                        Kill(process);
                        return new SolverRun.Cancelled();
                    }
                    if (clock.Elapsed >= cap)
                    {
                        Kill(process);
                        return new SolverRun.Capped();
                    }
                }
                if (cancel.IsCancellationRequested || Interrupt.IsCancellationRequested) return new SolverRun.Cancelled();
                if (!stdout.Thread.Join(TimeSpan.FromSeconds(10)) || !stderr.Thread.Join(TimeSpan.FromSeconds(10))) return new SolverRun.Failed("output not closed after exit");
                return new SolverRun.Exited(process.ExitCode, stdout.Text.ToString(), stderr.Text.ToString());
            }
            finally
            {
                Live.TryRemove(process, out _);
            }
        }
    }

    /// <summary>Reads a stream to its end on a thread of its own.</summary>
    private static (Thread Thread, System.Text.StringBuilder Text) Reader(StreamReader stream)
    {
        var text = new System.Text.StringBuilder();
        var thread = new Thread(() =>
        {
            try
            {
                var buffer = new char[4096];
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) lock (text) text.Append(buffer, 0, n);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { }
        }) { IsBackground = true, Name = "solver output" };
        thread.Start();
        return (thread, text);
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
