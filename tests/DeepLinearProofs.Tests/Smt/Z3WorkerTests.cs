using System.Diagnostics;
using System.Text;
using DeepLinearProofs.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Smt;

/// <summary>Tests that count this process's solver children: run alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(SolverProcessCollection), DisableParallelization = true)]
public sealed class SolverProcessCollection;

/// <summary>The worker route's budget: the rlimit decides, the wall-clock cap and cancellation kill the process.</summary>
[Collection(nameof(SolverProcessCollection))]
public class Z3WorkerTests
{
    /// <summary>Pigeonhole: n pigeons in n-1 holes, unsat; n = 12 runs for minutes, n = 6 in milliseconds.</summary>
    private static string Pigeonhole(int n, long rlimit)
    {
        var sb = new StringBuilder($"(set-option :rlimit {rlimit})\n(set-logic QF_UF)\n");
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n - 1; j++) sb.Append($"(declare-const p{i}_{j} Bool)\n");
        for (int i = 0; i < n; i++) sb.Append("(assert (or ").AppendJoin(' ', Enumerable.Range(0, n - 1).Select(j => $"p{i}_{j}")).Append("))\n");
        for (int j = 0; j < n - 1; j++)
            for (int i = 0; i < n; i++)
                for (int k = i + 1; k < n; k++) sb.Append($"(assert (not (and p{i}_{j} p{k}_{j})))\n");
        return sb.Append("(check-sat)\n").ToString();
    }

    private static void NoWorkerLeft()
    {
        // The kill is synchronous; allow the kernel a moment to reap.
        for (int i = 0; i < 20 && SolverProcesses.WorkersOf(Environment.ProcessId).Count > 0; i++) Thread.Sleep(50);
        Assert.Empty(SolverProcesses.WorkersOf(Environment.ProcessId));
    }

    [Z3Fact]
    public void The_wall_clock_cap_kills_the_worker_and_answers_unknown()
    {
        var clock = Stopwatch.StartNew();
        var answer = new Z3Worker().Check(Pigeonhole(12, 1_000_000_000_000), new SolverBudget(1_000_000_000_000, TimeSpan.FromSeconds(1)));
        clock.Stop();
        var unknown = Assert.IsType<SolverAnswer.Unknown>(answer);
        Assert.Equal("wall-clock cap of 1 s reached; solver killed", unknown.Reason);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 3.0);
        NoWorkerLeft();
    }

    [Z3Fact]
    public void An_exhausted_rlimit_is_unknown_and_names_the_limit_the_same_way_every_time()
    {
        var z3 = new Z3Worker();
        var budget = new SolverBudget(20_000, TimeSpan.FromSeconds(60));
        var first = Assert.IsType<SolverAnswer.Unknown>(z3.Check(Pigeonhole(10, 20_000), budget));
        Assert.Equal("resource limit (rlimit 20000) reached", first.Reason);
        Assert.Equal(first, z3.Check(Pigeonhole(10, 20_000), budget));
        // Enough budget: the same verdict twice.
        var enough = new SolverBudget(100_000_000, TimeSpan.FromSeconds(60));
        Assert.IsType<SolverAnswer.Unsat>(z3.Check(Pigeonhole(6, enough.Rlimit), enough));
        Assert.IsType<SolverAnswer.Unsat>(z3.Check(Pigeonhole(6, enough.Rlimit), enough));
        NoWorkerLeft();
    }

    [Z3Fact]
    public void Cancellation_kills_the_worker_at_once()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();
        var answer = new Z3Worker().Check(Pigeonhole(12, 1_000_000_000_000), new SolverBudget(1_000_000_000_000, TimeSpan.FromSeconds(60)), cancel.Token);
        clock.Stop();
        Assert.Equal("cancelled", Assert.IsType<SolverAnswer.Unknown>(answer).Reason);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.4, 2.5);
        NoWorkerLeft();
        using var already = new CancellationTokenSource();
        already.Cancel();
        Assert.Equal("cancelled", Assert.IsType<SolverAnswer.Unknown>(new Z3Worker().Check("(check-sat)", SolverBudget.Default, already.Token)).Reason);
    }

    [Z3Fact]
    public void A_worker_whose_parent_closes_stdin_exits_by_itself()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, Z3Worker.FileName);
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        using var worker = Process.Start(start)!;
        worker.StandardInput.Write(Pigeonhole(12, 1_000_000_000_000) + "; end-of-script\n");
        worker.StandardInput.Flush();
        Thread.Sleep(300);
        Assert.False(worker.HasExited);
        worker.StandardInput.Close();
        Assert.True(worker.WaitForExit(3000), "the worker kept solving after its stdin closed");
        Assert.Equal(3, worker.ExitCode);
    }

    [Fact]
    public void Resource_limit_reasons_of_every_route_read_the_same()
    {
        var budget = new SolverBudget(77, TimeSpan.FromSeconds(1));
        foreach (var reason in new[] { "max. resource limit exceeded", "canceled", "resourceout" })
            Assert.Equal("resource limit (rlimit 77) reached", Assert.IsType<SolverAnswer.Unknown>(budget.Explain(new SolverAnswer.Unknown(reason))).Reason);
        Assert.Equal("incomplete", Assert.IsType<SolverAnswer.Unknown>(budget.Explain(new SolverAnswer.Unknown("incomplete"))).Reason);
        Assert.IsType<SolverAnswer.Unsat>(budget.Explain(new SolverAnswer.Unsat()));
    }
}
