using System.Text.RegularExpressions;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Kernel;

namespace DeepLinearProofs.Proofs;

/// <summary>The condition a necessity example breaks, quoted from the theory document (its E-item heading and statement).</summary>
public sealed record TheoryQuote(string Item, string Condition, string Statement, string Source);

/// <summary>A cofactor q_i of an ideal-membership step L_F g = sum q_i g_i: the generator g_i's label and q_i.</summary>
public sealed record Cofactor(string Generator, Polynomial Q);

/// <summary>
/// One certificate step of a necessity example (docs/theory.md, section 6): an equation's cofactor step, an inequality's barrier or
/// boundary argument, disjointness from the minimisers, the exact start, or a whole lemma (the loss floor); its verdict is the
/// kernel's, its basis the step's own, and its files the .smt2 obligations and the kernel certificate written for it.
/// </summary>
public sealed record CertificateStep(string Lemma, string LemmaPath, string Network, string Method, string Kind, string What, Status Status, string Basis, string Detail,
    IReadOnlyList<string> Files, Expectation Expected)
{
    /// <summary>For an equation proved by ideal membership: the non-zero cofactors.</summary>
    public IReadOnlyList<Cofactor> Cofactors { get; init; } = [];

    /// <summary>For an inequality by the boundary route: the generators of the invariant boundary set K.</summary>
    public IReadOnlyList<string> Boundary { get; init; } = [];

    /// <summary>For a step of an invariant-set certificate: the set S, as the lemma states it ({equations = 0} ∩ {h >= 0}).</summary>
    public string? Set { get; init; }

    /// <summary>For the step "the exact start lies in S": the start, as exact matrices.</summary>
    public string? Start { get; init; }

    /// <summary>Proved (or refuted where the lemma expects it to fail).</summary>
    public bool Settled => Status == Status.Proved || (Status == Status.Refuted && Expected == Expectation.Fails);
}

/// <summary>Where a simulation stands: a converges lemma's own run, or the plain-double DOP853 companion run of a start on a saddle's stable set.</summary>
public enum SimulationRole { Lemma, PlainDoubleCompanion }

/// <summary>One trajectory of a necessity example with its verdict (numerical evidence) and its report.</summary>
public sealed record ExampleSimulation(string Lemma, string LemmaPath, string Network, SimulationRole Role, Status Status, string Basis, string Detail, Expectation Expected, SimulationReport Report)
{
    /// <summary>The start as the lemma gives it: its exact matrices when it has a point, else the initialisation's description.</summary>
    public string Start { get; init; } = Report.Request.Start.Description;

    /// <summary>As the lemma expects (supported and expected to hold, contradicted and expected to fail); a companion run has no expectation.</summary>
    public bool AsExpected => Role == SimulationRole.PlainDoubleCompanion ||
        (Status == Status.Supported && Expected == Expectation.Holds) || (Status == Status.Contradicted && Expected == Expectation.Fails);

    /// <summary>A start on a saddle's stable set whose run does not leave it: a reduction on the certified set, double-double, or exact zeros kept exact.</summary>
    public bool? Faithful => Report.Prediction is { Class: LimitClass.Saddle }
        ? Report.Request.Reduction is Reduction.TwoLayer or Reduction.Balanced || Report.Request.Precision == Precision.DoubleDouble || Report.Escape is { Violation: 0 }
        : null;
}

/// <summary>Everything regenerated for one necessity example E1..E6.</summary>
public sealed record NecessityExample(string Item, TheoryQuote? Quote, IReadOnlyList<CertificateStep> Steps, IReadOnlyList<ExampleSimulation> Simulations, IReadOnlyList<string> Problems)
{
    /// <summary>0 every step settled and every run as expected; 1 an expectation failed; 2 a step unknown or in error, a run undetermined, or nothing to regenerate.</summary>
    public int ExitCode =>
        Steps.Any(s => !s.Settled && s.Status is Status.Refuted or Status.Proved or Status.Vacuous) || Simulations.Any(s => !s.AsExpected && s.Status is Status.Supported or Status.Contradicted) ? 1
        : Problems.Count > 0 || Steps.Any(s => !s.Settled) || Simulations.Any(s => !s.AsExpected) || (Steps.Count == 0 && Simulations.Count == 0) ? 2 : 0;
}

/// <summary>
/// Regenerates the necessity examples E1-E6 (docs/theory.md, section 6) from the lemma library: every lemma whose <c>theory</c> is the
/// example's item is checked (certificates by the kernel, simulations as numerical evidence), and a start on a saddle's stable
/// set is also run in plain double with DOP853, where truncation error makes it escape at the predicted time.
/// </summary>
public static class NecessityExamples
{
    public static readonly IReadOnlyList<string> Items = ["E1", "E2", "E3", "E4", "E5", "E6"];

    /// <summary>The item names among <paramref name="given"/> that are not E1..E6 (case-insensitive).</summary>
    public static IReadOnlyList<string> Unknown(IEnumerable<string> given) => given.Where(g => !Items.Contains(g.ToUpperInvariant())).ToList();

    public static IReadOnlyList<NecessityExample> Regenerate(string library, IReadOnlyList<string> items, CheckOptions options, string? theoryDocument, Action<string>? progress = null, CancellationToken cancel = default)
    {
        var (files, errors) = LemmaLibrary.Discover([library]);
        var lemmas = new List<Lemma>();
        // A file that does not load belongs to the example its theory key names (read from the text), so it is not lost silently.
        var loadErrors = new List<(string? Item, string Error)>(errors.Select(e => ((string?)null, e)));
        foreach (var f in files)
        {
            try { lemmas.Add(LemmaLoader.Load(f)); }
            catch (LemmaFileException e)
            {
                var item = Regex.Match(File.ReadAllText(f), @"^\s*theory\s*=\s*""(E\d)""", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : null;
                loadErrors.Add((item, e.OneLine));
            }
        }
        var theory = theoryDocument is { } doc && File.Exists(doc) ? File.ReadAllText(doc) : null;
        var wanted = items.Select(i => i.ToUpperInvariant()).ToList();
        var results = new NecessityExample[wanted.Count];
        Parallel.For(0, wanted.Count, new ParallelOptions { CancellationToken = cancel }, i =>
        {
            var item = wanted[i];
            var mine = lemmas.Where(l => string.Equals(l.Theory, item, StringComparison.OrdinalIgnoreCase)).OrderBy(l => l.Path, StringComparer.Ordinal).ToList();
            results[i] = One(item, mine, theory is null ? null : Quote(theory, item, theoryDocument!), theoryDocument,
                loadErrors.Where(e => string.Equals(e.Item, item, StringComparison.OrdinalIgnoreCase)).Select(e => e.Error).ToList(), options, cancel);
            progress?.Invoke(item);
        });
        return results;
    }

    private static NecessityExample One(string item, IReadOnlyList<Lemma> lemmas, TheoryQuote? quote, string? theoryDocument, List<string> problems, CheckOptions options, CancellationToken cancel)
    {
        if (quote is null)
            problems.Add(theoryDocument is null || !File.Exists(theoryDocument)
                ? $"the theory document was not found ({theoryDocument ?? "docs/theory.md"}): the condition is not quoted"
                : $"{theoryDocument} has no section '### {item}.': the condition is not quoted");
        if (lemmas.Count == 0) problems.Add($"no lemma file in the library has theory = \"{item}\"");
        var steps = new List<CertificateStep>();
        var sims = new List<ExampleSimulation>();
        foreach (var lemma in lemmas)
        {
            cancel.ThrowIfCancellationRequested();
            IReadOnlyList<LemmaResult> results;
            try { results = LemmaChecker.Check(lemma, options, cancel); }
            catch (LemmaFileException e) { problems.Add(e.OneLine); continue; }
            foreach (var r in results)
            {
                if (r.Outcome.Simulation is { } report)
                    sims.Add(new ExampleSimulation(lemma.Id, lemma.Path, r.Network, SimulationRole.Lemma, r.Outcome.Status, r.Outcome.Basis, r.Outcome.Detail, r.Expected, report)
                        { Start = (lemma.Claim as ConvergesClaim)?.Simulation.Init is null && StartOf(lemma, r.Network) is { } exact ? $"exact point {exact}" : report.Request.Start.Description });
                else if (lemma.Claim is ConvergesClaim)
                    problems.Add($"{lemma.Path}: {r.Network}: {r.Outcome.Status.ToString().ToLowerInvariant()}: {r.Outcome.Detail}");
                else steps.AddRange(Steps(lemma, r));
            }
        }
        // A start on a saddle's stable set: the same start in plain double with DOP853 (docs/theory.md, section 7), once per network and start.
        foreach (var s in sims.Where(s => s.Report.Prediction is { Class: LimitClass.Saddle, EscapeRate: not null }).ToList())
        {
            var req = s.Report.Request;
            bool Same(SimulationReport o) => o.Request.Architecture.ToString() == req.Architecture.ToString() && o.Request.Target.Describe() == req.Target.Describe()
                && o.Request.Start.Weights.SequenceEqual(req.Start.Weights) && o.Request.TMax == req.TMax;
            if (sims.Any(o => Same(o.Report) && PlainDouble(o.Report))) continue;
            var companion = req with { Precision = Precision.Double, Reduction = Reduction.Full, Integrator = IntegratorChoice.Dop853, Projection = ProjectionChoice.None, RelTol = 1e-10, AbsTol = 1e-12 };
            var report = Simulator.Run(companion, cancel);
            sims.Add(new ExampleSimulation(s.Lemma, s.LemmaPath, s.Network, SimulationRole.PlainDoubleCompanion, Status.Supported, $"evidence: {report.Provenance}",
                $"limit {report.Classification.Limit} [{report.Classification.Basis}]; numerical evidence, not a proof", Expectation.Holds, report) { Start = s.Start });
        }
        return new NecessityExample(item, quote, steps, sims, problems);
    }

    /// <summary>Full weights, DOP853, double, no projection: the run whose escape section 7 predicts.</summary>
    private static bool PlainDouble(SimulationReport r) =>
        r.Source is FullTrajectory { Projection: null } && r.Request.Precision == Precision.Double && r.Provenance.Contains("DOP853", StringComparison.Ordinal);

    private static IEnumerable<CertificateStep> Steps(Lemma lemma, LemmaResult r)
    {
        var v = r.Outcome.Verdict;
        var kernelFiles = r.Outcome.Certificates.Where(f => f.EndsWith(".kernel.json", StringComparison.Ordinal)).ToList();
        var smt = r.Outcome.Certificates.Where(f => f.EndsWith(".smt2", StringComparison.Ordinal)).ToList();
        if (v.Steps.Count == 0)
        {
            var (kind, what) = lemma.Claim switch
            {
                ForallClaim f when f.Hypotheses.Count > 0 => ("forall", $"for all weights with {string.Join(" and ", f.Hypotheses.Select(h => h.Text))}: {f.Text}"),
                ForallClaim f => ("forall", $"for all weights: {f.Text}"),
                MembershipClaim m => ("membership", $"the exact start satisfies {m.Text}"),
                InvariantClaim i => ("invariant", $"S is invariant ({string.Join(", ", i.Equations.Select(e => e.Text))})"),
                var c => (c.Method, c.Text),
            };
            if (lemma.AllSizes is not null) what += " (every depth and all widths)";
            yield return new CertificateStep(lemma.Id, lemma.Path, r.Network, lemma.Claim.Method, kind, what, v.Status, v.Basis, v.Detail, [.. smt, .. kernelFiles], r.Expected);
            yield break;
        }
        var statement = v.Certificate?.Statement as InvariantStatement;
        string? set = lemma.Claim is InvariantClaim ic
            ? "S = {" + string.Join(", ", ic.Equations.Select(e => $"{e.Text} = 0")) + "}" + string.Concat(ic.Inequalities.Select(q => $" ∩ {{{q.Expression.Text} >= 0}}"))
                + (ic.Definitions.Count > 0 ? ", where " + string.Join(", ", ic.Definitions.Select(d => $"{d.Name} = {d.Text}")) : "")
            : null;
        foreach (var step in v.Steps)
        {
            var files = step.Obligation is { } o ? smt.Where(f => f.EndsWith($"-{SolverOracle.Slug(o)}.smt2", StringComparison.Ordinal)).ToList() : [];
            string kind = step.What.StartsWith("equation ", StringComparison.Ordinal) ? "equation"
                : step.What.StartsWith("inequality ", StringComparison.Ordinal) ? "inequality"
                : step.What.StartsWith("S contains no point", StringComparison.Ordinal) ? "disjoint"
                : step.What.Contains("start", StringComparison.Ordinal) ? "start" : "set";
            IReadOnlyList<Cofactor> cofactors = [];
            IReadOnlyList<string> boundary = [];
            if (statement is not null && kind == "equation" && statement.Equations.FirstOrDefault(g => step.What == $"equation {g.Label} = 0 is invariant") is { Cofactors: { } q })
                cofactors = q.Select((c, i) => new Cofactor(statement.Equations[i].Label, c)).Where(c => !c.Q.IsZero).ToList();
            if (statement is not null && kind == "inequality" && statement.Inequalities.FirstOrDefault(h => step.What == $"inequality {h.Label} >= 0 is preserved") is { } ineq)
                boundary = ineq.Boundary.Select(b => b.Label).Distinct().ToList();
            yield return new CertificateStep(lemma.Id, lemma.Path, r.Network, lemma.Claim.Method, kind, step.What, step.Status, step.Basis, step.Detail, [.. files, .. kernelFiles], r.Expected)
                { Cofactors = cofactors, Boundary = boundary, Start = kind == "start" ? StartOf(lemma, r.Network) : null, Set = set };
        }
    }

    /// <summary>The exact start of a lemma on a network ([network.point], else [claim.point]) as "W1 = [[..]], W2 = [[..]]".</summary>
    private static string? StartOf(Lemma lemma, string network)
    {
        var spec = lemma.Networks.FirstOrDefault(n => n.Describe() == network);
        var point = spec is { Point.Count: > 0 } ? spec.Point : lemma.Claim.Point;
        if (point.Count == 0) return null;
        static string Matrix(Rational[,] m) => "[" + string.Join(", ", Enumerable.Range(0, m.GetLength(0))
            .Select(i => "[" + string.Join(", ", Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j].ToString())) + "]")) + "]";
        return string.Join(", ", point.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} = {Matrix(kv.Value)}"));
    }

    /// <summary>The E-item's heading (the condition) and its <c>*Statement.*</c> paragraph, verbatim from the theory document.</summary>
    public static TheoryQuote? Quote(string theory, string item, string source)
    {
        var lines = theory.Replace("\r\n", "\n").Split('\n');
        int at = Array.FindIndex(lines, l => l.StartsWith($"### {item}. ", StringComparison.Ordinal));
        if (at < 0) return null;
        var condition = lines[at][$"### {item}. ".Length..].Trim();
        var paragraph = new List<string>();
        for (int i = at + 1; i < lines.Length && !lines[i].StartsWith('#'); i++)
        {
            if (paragraph.Count == 0 && !lines[i].StartsWith("*Statement.*", StringComparison.Ordinal)) continue;
            if (paragraph.Count > 0 && lines[i].Trim().Length == 0) break;
            paragraph.Add(lines[i].Trim());
        }
        var statement = Regex.Replace(string.Join(" ", paragraph), @"^\*Statement\.\*\s*", "");
        return new TheoryQuote(item, condition, statement, $"{source}, section 6, {item}");
    }
}
