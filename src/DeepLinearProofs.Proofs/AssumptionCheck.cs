using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>A change of hypotheses or network: drop named assumptions, add formulas, or use other widths/target.</summary>
public sealed record Modification(IReadOnlyList<string> Drop, IReadOnlyList<string> Assume, Architecture? Widths = null, Target? Target = null)
{
    public bool IsEmpty => Drop.Count == 0 && Assume.Count == 0 && Widths is null && Target is null;
}

/// <summary>The original and modified verdicts of one lemma.</summary>
public sealed record AssumptionResult(Lemma Lemma, IReadOnlyList<string> Changes, IReadOnlyList<LemmaResult> Original, IReadOnlyList<LemmaResult> Modified)
{
    public bool OriginalHolds => Original.All(r => r.AsExpected);

    /// <summary>A network's exact start did not fit the new widths and was dropped, so the modified run checks less.</summary>
    public bool DroppedStart => Changes.Any(c => c.StartsWith(AssumptionCheck.StartDropped, StringComparison.Ordinal));

    /// <summary>Every modified network comes out as expected, and not merely because nothing was left to check.</summary>
    public bool Survives => Modified.All(r => r.AsExpected) && !SurvivesOnlyVacuously && !DroppedStart;

    /// <summary>The modified lemma holds only vacuously somewhere (e.g. its hypotheses became unsatisfiable): not a survival.</summary>
    public bool SurvivesOnlyVacuously => Modified.Any(r => r.Outcome.Status == Status.Vacuous) &&
        Modified.All(r => r.AsExpected || r.Outcome.Status == Status.Vacuous);

    /// <summary>The change definitely breaks the result: some modified network has a definite verdict against the expectation.</summary>
    public bool Breaks => OriginalHolds && Modified.Any(r => !r.AsExpected && r.Outcome.Status is Status.Proved or Status.Refuted);
}

/// <summary>
/// Modified assumptions (the third user job). <c>--drop NAME</c> removes the hypothesis NAME; the
/// built-in names change the networks instead: <c>gap</c> makes s_2 = s_1 in diagonal targets,
/// <c>one-neuron</c> turns every width 1 into 2. <c>--assume EXPR</c> adds a hypothesis (forall lemmas).
/// </summary>
public static class AssumptionCheck
{
    /// <summary>How a change that loses a network's exact start is reported (it then does not count as a survival).</summary>
    public const string StartDropped = "dropped the exact start ([network.point]): it does not fit the new widths, so 'the start lies in S' is not checked";

    /// <summary>The modified lemma and what changed; null when none of the modification applies to this lemma.</summary>
    public static (Lemma Lemma, IReadOnlyList<string> Changes)? Apply(Lemma lemma, Modification m)
    {
        var changes = new List<string>();
        var claim = lemma.Claim;
        var hypotheses = claim is ForallClaim f ? f.Hypotheses : [];
        var networks = lemma.Networks.ToList();
        bool requiresOne = lemma.RequiresOneNeuron;
        foreach (var name in m.Drop)
        {
            var hypothesis = hypotheses.FirstOrDefault(h => h.Name == name);
            if (hypothesis is not null)
            {
                hypotheses = hypotheses.Where(h => h != hypothesis).ToList();
                changes.Add($"dropped hypothesis {name}: {hypothesis.Text}");
            }
            else if (name == "gap")
            {
                for (int i = 0; i < networks.Count; i++)
                {
                    if (networks[i].Target is DiagonalTarget d && WithoutGap(d, networks[i].Architecture) is { } t)
                    {
                        changes.Add($"dropped gap: target {d.Describe()} -> {t.Describe()} on widths {networks[i].Architecture}");
                        networks[i] = networks[i] with { Target = t };
                    }
                }
            }
            else if (name == "one-neuron" && lemma.AllSizes is not null && lemma.RequiresOneNeuron)
            {
                // At all sizes: the same claim with no width-1 layer, refutable at a widened instance.
                requiresOne = false;
                changes.Add("dropped one-neuron: the claim for all widths, none of them 1");
                var widened = networks.Select(n => n.Architecture.OneNeuronLayer is null ? n : n with { Architecture = new Architecture(n.Architecture.Widths.Select(w => w == 1 ? 2 : w).ToList()) }).ToList();
                networks = widened.Count > 0 ? widened : [new NetworkSpec(new Architecture([2, 2, 2]), Target.Parse("symbolic"), 1, null)];
                changes.Add($"instances to refute it on: {string.Join("; ", networks.Select(n => n.Describe()))}");
            }
            else if (name == "one-neuron")
            {
                requiresOne = false;
                for (int i = 0; i < networks.Count; i++)
                {
                    var arch = networks[i].Architecture;
                    if (arch.OneNeuronLayer is null) continue;
                    var widened = new Architecture(arch.Widths.Select(w => w == 1 ? 2 : w).ToList());
                    changes.Add($"dropped one-neuron: widths {arch} -> {widened}");
                    if (networks[i].Point.Count > 0) changes.Add(StartDropped + $" (widths {widened})");
                    networks[i] = networks[i] with { Architecture = widened, Point = new Dictionary<string, Rational[,]>() };
                }
            }
        }
        foreach (var (text, i) in m.Assume.Select((t, i) => (t, i)))
        {
            if (claim is not ForallClaim) return null;
            Expr e;
            try { e = ExprParser.Parse(text); }
            catch (ExprSyntaxException ex) { throw new LemmaFileException("--assume", 1, $"column {ex.Position + 1}: {ex.Message}"); }
            hypotheses = hypotheses.Append(new NamedExpr($"assumed{i + 1}", text, e, claim.Line)).ToList();
            changes.Add($"assumed: {text}");
        }
        var allSizes = lemma.AllSizes;
        if ((m.Widths is not null || m.Target is not null) && allSizes is not null)
        {
            // An all-sizes claim at one instance: the same expressions on those widths, by the instance rules.
            allSizes = null;
            networks = [new NetworkSpec(m.Widths ?? throw new LemmaFileException(lemma.Path, 1, "an all-sizes lemma has no widths of its own: give --widths with --target"),
                m.Target ?? Target.Parse("symbolic"), 1, null)];
            if (m.Widths.OneNeuronLayer is null) requiresOne = false;
            changes.Add($"instance of the all-sizes claim: {networks[0].Describe()}");
        }
        else if (m.Widths is not null || m.Target is not null)
        {
            var basis = networks.Count > 0 ? networks[0] : throw new LemmaFileException(lemma.Path, 1, "lemma has no network");
            networks = m.Widths is not null
                ? [basis with { Architecture = m.Widths, Target = m.Target ?? basis.Target, Point = new Dictionary<string, Rational[,]>() }]
                : networks.Select(n => n with { Target = m.Target! }).ToList();
            if (m.Widths is { OneNeuronLayer: null }) requiresOne = false;
            if (m.Widths is not null && basis.Point.Count > 0) changes.Add(StartDropped + $" (widths {m.Widths})");
            changes.Add($"networks: {string.Join("; ", networks.Select(n => n.Describe()))}");
        }
        if (changes.Count == 0) return null;
        if (claim is ForallClaim forall) claim = forall with { Hypotheses = hypotheses };
        return (lemma with { Networks = networks, Claim = claim, RequiresOneNeuron = requiresOne, AllSizes = allSizes }, changes);
    }

    /// <summary>
    /// The diagonal target whose two largest singular values are equal (s_2 := s_1): the entry giving s_2 (|entry|, stable
    /// order) gets |s_1| with its own sign, so every singular vector stays; diag(3) gains a second 3 when there is room.
    /// Null when s_1 = s_2 already or there is no second singular value.
    /// </summary>
    private static DiagonalTarget? WithoutGap(DiagonalTarget d, Architecture arch)
    {
        var values = d.Values.ToList();
        int room = Math.Min(arch.Width(0), arch.Width(arch.Depth));
        if (values.Count == 1 && room >= 2) values.Add(Rational.Zero);
        if (values.Count < 2) return null;
        var order = Enumerable.Range(0, values.Count).OrderByDescending(k => values[k].Abs()).ToList();
        Rational first = values[order[0]].Abs(), second = values[order[1]].Abs();
        if (first == second) return null;
        values[order[1]] = values[order[1]].Sign < 0 ? -first : first;
        return new DiagonalTarget(values);
    }

    public static AssumptionResult Run(Lemma lemma, Modification m, CheckOptions options)
    {
        var applied = Apply(lemma, m) ?? throw new LemmaFileException(lemma.Path, 1,
            $"nothing to change: the lemma has no hypothesis named {string.Join(", ", m.Drop)} (hypotheses: {(lemma.Claim is ForallClaim { Hypotheses.Count: > 0 } f ? string.Join(", ", f.Hypotheses.Select(h => h.Name)) : "none")}; built-in: gap, one-neuron)");
        var original = LemmaChecker.Check(lemma, options);
        var modified = LemmaChecker.Check(applied.Lemma, options);
        return new AssumptionResult(lemma, applied.Changes, original, modified);
    }
}
