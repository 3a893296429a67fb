using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.RedTeam;

/// <summary>
/// What running one red-team lemma gave: the per-network results, or the one-line bad-input message when the
/// loader or checker rejected the lemma (a <see cref="LemmaFileException"/>), kept apart from every verdict.
/// </summary>
public sealed record RedTeamRun(string Name, IReadOnlyList<LemmaResult> Results, string? BadInput)
{
    public bool Rejected => BadInput is not null;
    public IReadOnlyList<Status> Statuses => Results.Select(r => r.Outcome.Status).ToList();

    public override string ToString() => Rejected
        ? $"{Name}: bad input: {BadInput}"
        : $"{Name}: {string.Join("; ", Results.Select(r => $"{r.Network} -> {r.Outcome.Status} ({r.Outcome.Detail})"))}";
}

/// <summary>
/// The only place that runs a lemma text: parse as redteam/NAME.toml, check with the default options. An API rename
/// of the loader or checker is one edit here.
/// </summary>
public static class RedTeamHarness
{
    public static Lemma Parse(string name, string toml) => LemmaLoader.Parse(toml, $"redteam/{name}.toml");

    public static RedTeamRun Run(string name, string toml)
    {
        try
        {
            var lemma = Parse(name, toml);
            return new RedTeamRun(name, LemmaChecker.Check(lemma, CheckOptions.Default()), null);
        }
        catch (LemmaFileException e)
        {
            return new RedTeamRun(name, [], e.OneLine);
        }
    }

    public static IReadOnlyList<Status> Statuses(string name, string toml) => Run(name, toml).Statuses;

    /// <summary>A witness as a map from variable name (W1[1,1], a[2,1], sqrt1, ...) to its exact value.</summary>
    public static IReadOnlyDictionary<string, Rational> PointOf(Countermodel w) => w.Point.ToDictionary(p => p.Variable.Name, p => p.Value);
}

/// <summary>The properties a sound checker must have, one per kind of red-team case.</summary>
public static class RedTeamAssert
{
    private static readonly Status[] Verdicts = [Status.Proved, Status.Refuted, Status.Supported, Status.Contradicted];

    /// <summary>False (or undecidable as stated): never Proved, never Vacuous; a bad-input rejection is fine. A Refuted verdict with a countermodel must really refute.</summary>
    public static void NotProved(RedTeamRun run, Func<IReadOnlyDictionary<string, Rational>, bool>? failsAt)
    {
        if (run.Rejected) return;
        Assert.True(run.Results.Count > 0, run.ToString());
        foreach (var r in run.Results)
        {
            Assert.True(r.Outcome.Status is not (Status.Proved or Status.Vacuous or Status.Supported), run.ToString());
            Assert.False(r.AsExpected && r.Expected == Expectation.Holds, run.ToString());
            CheckWitness(run, r, failsAt);
        }
    }

    /// <summary>Certainly false with an obvious rational countermodel: Refuted, and the reported point (if any) refutes it by our own exact arithmetic.</summary>
    public static void Refuted(RedTeamRun run, Func<IReadOnlyDictionary<string, Rational>, bool>? failsAt)
    {
        Assert.False(run.Rejected, run.ToString());
        Assert.True(run.Results.Count > 0, run.ToString());
        foreach (var r in run.Results)
        {
            Assert.True(r.Outcome.Status == Status.Refuted, run.ToString());
            CheckWitness(run, r, failsAt);
        }
    }

    /// <summary>True: never Refuted (nor Contradicted); Unknown, Error or a rejection are acceptable; Vacuous is wrong when the domain is not empty.</summary>
    public static void NotRefuted(RedTeamRun run)
    {
        if (run.Rejected) return;
        foreach (var r in run.Results)
            Assert.True(r.Outcome.Status is not (Status.Refuted or Status.Contradicted or Status.Vacuous), run.ToString());
    }

    /// <summary>Nothing was checked: exactly Vacuous on every network, and (without vacuous = "allowed") not a pass.</summary>
    public static void Vacuous(RedTeamRun run, bool allowed = false)
    {
        Assert.False(run.Rejected, run.ToString());
        Assert.True(run.Results.Count > 0, run.ToString());
        foreach (var r in run.Results)
        {
            Assert.True(r.Outcome.Status == Status.Vacuous, run.ToString());
            Assert.True(r.AsExpected == allowed, $"vacuous counted as passed = {r.AsExpected}, expected {allowed}: {run}");
        }
    }

    /// <summary>Undefined or empty: no verdict at all (Vacuous, Unknown, Error or a rejection), never Proved or Refuted.</summary>
    public static void NoVerdict(RedTeamRun run)
    {
        if (run.Rejected) return;
        Assert.True(run.Results.Count > 0, run.ToString());
        foreach (var r in run.Results)
        {
            Assert.True(!Verdicts.Contains(r.Outcome.Status), run.ToString());
            Assert.False(r.AsExpected, run.ToString());
        }
    }

    /// <summary>Ill-formed input: rejected as bad input or an Error status.</summary>
    public static void Rejected(RedTeamRun run)
    {
        if (run.Rejected) return;
        Assert.True(run.Results.Count > 0 && run.Results.All(r => r.Outcome.Status == Status.Error), run.ToString());
    }

    private static void CheckWitness(RedTeamRun run, LemmaResult r, Func<IReadOnlyDictionary<string, Rational>, bool>? failsAt)
    {
        if (r.Outcome.Status != Status.Refuted || r.Outcome.Witness is not { } w || failsAt is null) return;
        var point = RedTeamHarness.PointOf(w);
        Assert.True(failsAt(point), $"the reported countermodel {w} does not refute the statement (independent exact evaluation): {run}");
    }
}

/// <summary>Independent exact arithmetic for checking countermodels: small rational matrices, no use of the checker's evaluator.</summary>
public static class Exact
{
    public static Rational Q(string s) => Rational.Parse(s);

    public static Rational[,] M(params Rational[][] rows)
    {
        var m = new Rational[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows[0].Length; j++) m[i, j] = rows[i][j];
        return m;
    }

    public static Rational[,] Diag(int rows, int cols, params Rational[] d)
    {
        var m = Zeros(rows, cols);
        for (int i = 0; i < d.Length; i++) m[i, i] = d[i];
        return m;
    }

    public static Rational[,] Zeros(int rows, int cols)
    {
        var m = new Rational[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) m[i, j] = Rational.Zero;
        return m;
    }

    public static Rational[,] Mul(Rational[,] x, Rational[,] y)
    {
        Assert.Equal(x.GetLength(1), y.GetLength(0));
        var m = Zeros(x.GetLength(0), y.GetLength(1));
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < y.GetLength(1); j++)
                for (int k = 0; k < x.GetLength(1); k++) m[i, j] += x[i, k] * y[k, j];
        return m;
    }

    public static Rational[,] Sub(Rational[,] x, Rational[,] y)
    {
        var m = Zeros(x.GetLength(0), x.GetLength(1));
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < x.GetLength(1); j++) m[i, j] = x[i, j] - y[i, j];
        return m;
    }

    public static Rational Norm2(Rational[,] x)
    {
        var s = Rational.Zero;
        foreach (var v in x) s += v * v;
        return s;
    }

    public static bool Equal(Rational[,] x, Rational[,] y) => Norm2(Sub(x, y)).IsZero;

    private static Rational Get(IReadOnlyDictionary<string, Rational> p, string name) => p.TryGetValue(name, out var v) ? v : Rational.Zero;

    /// <summary>W_j (d_j x d_{j-1}) read from a point whose variables are named Wj[r,c].</summary>
    public static Rational[,] Weight(IReadOnlyDictionary<string, Rational> p, int[] widths, int j)
    {
        var m = Zeros(widths[j], widths[j - 1]);
        for (int r = 0; r < widths[j]; r++)
            for (int c = 0; c < widths[j - 1]; c++) m[r, c] = Get(p, $"W{j}[{r + 1},{c + 1}]");
        return m;
    }

    /// <summary>P at a countermodel: a b^T when the point is over the rank-one variables a, b; else W_N ... W_1.</summary>
    public static Rational[,] EndToEnd(IReadOnlyDictionary<string, Rational> p, int[] widths)
    {
        int n = widths.Length - 1;
        if (p.Keys.Any(k => k.StartsWith("a[") || k.StartsWith("b[")))
        {
            var a = Zeros(widths[n], 1);
            var bt = Zeros(1, widths[0]);
            for (int i = 0; i < widths[n]; i++) a[i, 0] = Get(p, $"a[{i + 1},1]");
            for (int i = 0; i < widths[0]; i++) bt[0, i] = Get(p, $"b[{i + 1},1]");
            return Mul(a, bt);
        }
        var prod = Weight(p, widths, 1);
        for (int j = 2; j <= n; j++) prod = Mul(Weight(p, widths, j), prod);
        return prod;
    }

    /// <summary>L = 1/2 ||Z - P||^2.</summary>
    public static Rational Loss(Rational[,] z, Rational[,] p) => Norm2(Sub(z, p)) * Rational.Create(1, 2);

    /// <summary>L = 1/2 ||Y - P X||^2 for data.</summary>
    public static Rational DataLoss(Rational[,] x, Rational[,] y, Rational[,] p) => Norm2(Sub(y, Mul(p, x))) * Rational.Create(1, 2);
}

/// <summary>What the referee rounds share: a kernel session, polynomial shorthands, a small lemma text, a crash-free run.</summary>
public static class Referee
{
    public static KernelSession Session(string name, int seconds) =>
        new(new SolverOracle(CheckOptions.Default(), name, "api", TimeSpan.FromSeconds(seconds), CancellationToken.None), SolverBudget.DefaultRlimit, name);

    public static Polynomial V(string name) => Polynomial.Var(name);
    public static Polynomial C(long c) => Polynomial.Constant(c);

    public static string Lemma(string prefix, int timeout, string id, string method, string expr, string extra, string widths, string target) => $"""
        id = "{prefix}.{id}"
        [[network]]
        widths = [{widths}]
        target = {target}
        [claim]
        method = "{method}"
        expr = "{expr}"
        timeout_s = {timeout}
        {extra}
        """;

    /// <summary>Runs a lemma like RedTeamHarness, but turns an internal exception (not a one-line LemmaFileException) into a failure message.</summary>
    public static RedTeamRun RunNoCrash(string name, string toml)
    {
        try { return RedTeamHarness.Run(name, toml); }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{name}: internal error instead of a one-line bad-input message: {e.GetType().Name}: {e.Message}");
            throw;
        }
    }
}
