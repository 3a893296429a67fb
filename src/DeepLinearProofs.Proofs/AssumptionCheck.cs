using System.Text.RegularExpressions;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// A change of assumptions or network: drop assumptions of the vocabulary (gap, balance, one-neuron, depth&gt;=3, whitened)
/// or hypotheses by name, add formulas, or re-instantiate at other widths, another target or another depth.
/// </summary>
public sealed record Modification(IReadOnlyList<string> Drop, IReadOnlyList<string> Assume, Architecture? Widths = null, Target? Target = null, int? Depth = null)
{
    public bool IsEmpty => Drop.Count == 0 && Assume.Count == 0 && Widths is null && Target is null && Depth is null;

    /// <summary>"drop gap", "depth 4", ... for headers.</summary>
    public string Describe() => string.Join(", ", Drop.Select(d => $"drop {d}").Concat(Assume.Select(a => $"assume {a}"))
        .Concat(Widths is null ? [] : [$"widths {Widths}"]).Concat(Target is null ? [] : [$"target {Target.Describe()}"]).Concat(Depth is null ? [] : [$"depth {Depth}"]));
}

/// <summary>A countermodel of a modified lemma run as a trajectory: its start, where it came from, and the observed limit (numerical evidence).</summary>
public sealed record SimulatedCountermodel(string Network, string Source, string Start, string Limit, SimulationReport? Report);

/// <summary>The original and modified verdicts of one lemma, the countermodels simulated, or why the lemma could not be transformed.</summary>
public sealed record AssumptionResult(Lemma Lemma, IReadOnlyList<string> Changes, IReadOnlyList<LemmaResult> Original, IReadOnlyList<LemmaResult> Modified)
{
    /// <summary>Set when the modification concerns the lemma but cannot be applied to it: one line, and nothing was run.</summary>
    public string? CannotTransform { get; init; }

    /// <summary>The countermodels (or transformed starts) of the networks that did not come out as expected, simulated.</summary>
    public IReadOnlyList<SimulatedCountermodel> Simulated { get; init; } = [];

    /// <summary>The assumptions of the lemma (declared or default) and whether it declared them.</summary>
    public IReadOnlySet<Assumption> Assumes { get; init; } = new HashSet<Assumption>();
    public bool Declared { get; init; }

    /// <summary>The vocabulary assumptions the modification drops that the lemma does not assume (declared or default): a break then means the declaration is wrong.</summary>
    public IReadOnlyList<string> Undeclared { get; init; } = [];

    public bool OriginalHolds => CannotTransform is null && Original.All(r => r.AsExpected);

    /// <summary>A network's exact start did not fit the new widths and was dropped, so the modified run checks less.</summary>
    public bool DroppedStart => Changes.Any(c => c.StartsWith(AssumptionCheck.StartDropped, StringComparison.Ordinal));

    /// <summary>Every modified network comes out as expected, and not merely because nothing was left to check.</summary>
    public bool Survives => CannotTransform is null && Modified.All(r => r.AsExpected) && !SurvivesOnlyVacuously && !DroppedStart;

    /// <summary>The modified lemma holds only vacuously somewhere (e.g. its hypotheses became unsatisfiable): not a survival.</summary>
    public bool SurvivesOnlyVacuously => CannotTransform is null && Modified.Any(r => r.Outcome.Status == Status.Vacuous) &&
        Modified.All(r => r.AsExpected || r.Outcome.Status == Status.Vacuous);

    /// <summary>The change definitely breaks the result: some modified network has a definite verdict against the expectation.</summary>
    public bool Breaks => OriginalHolds && Modified.Any(r => !r.AsExpected && r.Outcome.Status is Status.Proved or Status.Refuted or Status.Supported or Status.Contradicted);

    /// <summary>Some run stopped at the per-lemma wall-clock cap.</summary>
    public bool OverBudget { get; init; }
}

/// <summary>
/// Modified assumptions (the third user job). Each vocabulary name transforms the network, the start or the certificate
/// (proofs/README.md, "Assumptions"): <c>gap</c> s_2 := s_1 in diagonal targets; <c>balance</c> W_N := W_N / 2 at balanced
/// starts, and hypotheses / equations on C_j dropped; <c>one-neuron</c> hidden widths 1 -&gt; 2 with exact starts padded by
/// zeros (P unchanged); <c>whitened</c> the first row of X doubled; <c>depth&gt;=3</c> re-instantiation at depth 2. Any other
/// name drops the forall hypothesis of that name. <c>--depth</c> / <c>--widths</c> re-instantiate the networks.
/// </summary>
public static class AssumptionCheck
{
    /// <summary>How a change that loses a network's exact start is reported (it then does not count as a survival).</summary>
    public const string StartDropped = "dropped the exact start ([network.point]): it does not fit the new widths, so 'the start lies in S' is not checked";

    /// <summary>A hypothesis on the imbalances: named balance, or written with C[...].</summary>
    public static bool IsBalanceHypothesis(NamedExpr h) => h.Name == "balance" || MentionsImbalance(h.Text);

    public static bool MentionsImbalance(string text) => Regex.IsMatch(text, @"\bC\s*\[");

    /// <summary>The modified lemma and what changed, or the one-line reason it cannot be transformed; null when the modification does not concern the lemma.</summary>
    public static Transformation? Apply(Lemma lemma, Modification m)
    {
        var t = new Transformation(lemma);
        var assumes = Assumptions.Of(lemma);
        foreach (var name in m.Drop)
        {
            if (Assumptions.TryParse(name, out var a))
            {
                int before = t.Changes.Count;
                switch (a)
                {
                    case Assumption.Gap: DropGap(t); break;
                    case Assumption.Balance: DropBalance(t); break;
                    case Assumption.OneNeuron: DropOneNeuron(t); break;
                    case Assumption.Whitened: DropWhitened(t); break;
                    case Assumption.DepthAtLeast3: ReDepth(t, 2, "dropped depth>=3"); break;
                }
                if (t.Cannot is null && t.Changes.Count == before && assumes.Contains(a))
                    t.Cannot = $"assumes {name} but nothing in it can be changed by dropping {name} ({DropMeaning(a)})";
                if (t.Changes.Count > before && !assumes.Contains(a)) t.Undeclared.Add(name);
                continue;
            }
            var hypotheses = t.Claim is ForallClaim f ? f.Hypotheses : [];
            var hypothesis = hypotheses.FirstOrDefault(h => h.Name == name);
            if (hypothesis is null) continue;
            t.Claim = ((ForallClaim)t.Claim) with { Hypotheses = hypotheses.Where(h => h != hypothesis).ToList() };
            t.Changes.Add($"dropped hypothesis {name}: {hypothesis.Text}");
        }
        foreach (var (text, i) in m.Assume.Select((x, i) => (x, i)))
        {
            if (t.Claim is not ForallClaim forall) return null;
            Expr e;
            try { e = ExprParser.Parse(text); }
            catch (ExprSyntaxException ex) { throw new LemmaFileException("--assume", 1, $"column {ex.Position + 1}: {ex.Message}"); }
            t.Claim = forall with { Hypotheses = forall.Hypotheses.Append(new NamedExpr($"assumed{i + 1}", text, e, forall.Line)).ToList() };
            t.Changes.Add($"assumed: {text}");
        }
        if (t.Cannot is null && m.Depth is { } depth) ReDepth(t, depth, $"depth {depth}");
        if (t.Cannot is null && (m.Widths is not null || m.Target is not null)) ReWidth(t, m);
        if (t.Cannot is null && t.Changes.Count == 0) return null;
        return t;
    }

    private static string DropMeaning(Assumption a) => a switch
    {
        Assumption.Gap => "s_2 := s_1 in a diagonal target",
        Assumption.Balance => "an unbalanced start, or hypotheses / equations on C_j removed",
        Assumption.OneNeuron => "hidden widths 1 -> 2",
        Assumption.Whitened => "a data target with X X^T != I",
        _ => "re-instantiation at depth 2",
    };

    // ---------------------------------------------------------------- gap

    private static void DropGap(Transformation t)
    {
        if (t.AllSizes is not null && Assumptions.Of(t.Original).Contains(Assumption.Gap))
        {
            t.Cannot = "cannot drop gap: an all-sizes claim has no target to change (its singular pair is symbolic)";
            return;
        }
        for (int i = 0; i < t.Networks.Count; i++)
        {
            var n = t.Networks[i];
            if (n.Target is DiagonalTarget d && WithoutGap(d, n.Architecture) is { } g)
            {
                t.Changes.Add($"dropped gap: target {d.Describe()} -> {g.Describe()} on widths {n.Architecture}");
                t.Networks[i] = n with { Target = g };
            }
            else if (n.Target is MatrixTarget && Assumptions.HasGap(n.Target, n.Architecture))
            {
                t.Cannot = $"cannot drop gap: s_2 := s_1 is done for diagonal targets only, and {n.Target.Describe()} (line {n.Line}) is not diagonal; give --target with s_1 = s_2";
                return;
            }
        }
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

    // ---------------------------------------------------------------- balance

    /// <summary>The fixed rational perturbation of a balanced start: the last layer is halved (every zero pattern, hence every support set, is kept).</summary>
    public static readonly Rational UnbalanceFactor = Rational.Create(1, 2);

    private static void DropBalance(Transformation t)
    {
        if (t.Claim is ForallClaim f && f.Hypotheses.Where(IsBalanceHypothesis).ToList() is { Count: > 0 } dropped)
        {
            t.Claim = f with { Hypotheses = f.Hypotheses.Except(dropped).ToList() };
            foreach (var h in dropped) t.Changes.Add($"dropped hypothesis {h.Name}: {h.Text}");
        }
        if (t.Claim is InvariantClaim inv && inv.Equations.Where(e => MentionsImbalance(e.Text)).ToList() is { Count: > 0 } eqs)
        {
            t.Claim = inv with { Equations = inv.Equations.Except(eqs).ToList() };
            t.Changes.Add($"dropped the balance equations of S: {string.Join(", ", eqs.Select(e => e.Each is { } r ? $"{e.Text} for {r.Text}" : e.Text))}");
        }
        string Halved(Architecture arch) => $"W{arch.Depth} := W{arch.Depth} / 2";
        for (int i = 0; i < t.Networks.Count; i++)
        {
            var n = t.Networks[i];
            var point = n.Point.Count > 0 ? n.Point : t.Claim.Point;
            if (point.Count > 0 && Assumptions.IsBalancedPoint(point, n.Architecture))
            {
                t.Networks[i] = n with { Point = Unbalanced(point, n.Architecture) };
                t.Changes.Add($"unbalanced the exact start on widths {n.Architecture}: {Halved(n.Architecture)} (C_{n.Architecture.Depth - 1} != 0, zero pattern kept)");
            }
        }
        if (t.Claim is ConvergesClaim c && c.Simulation.Init is string init && init.TrimStart().StartsWith("balanced", StringComparison.Ordinal))
        {
            for (int i = 0; i < t.Networks.Count; i++)
            {
                var n = t.Networks[i];
                var exact = ExactStart(init, n.Architecture);
                t.Networks[i] = n with { Point = Unbalanced(exact, n.Architecture) };
            }
            var spec = c.Simulation with { Init = null };
            if (spec.Reduction == Reduction.Balanced) { spec = spec with { Reduction = Reduction.Auto }; t.Changes.Add("reduction balanced -> auto (the start is no longer balanced)"); }
            if (spec.Projection == ProjectionChoice.Balanced) { spec = spec with { Projection = ProjectionChoice.None }; t.Changes.Add("projection balanced -> none"); }
            if (spec.Rates.Any(r => r.Predicted))
            {
                spec = spec with { Rates = spec.Rates.Where(r => !r.Predicted).ToList() };
                t.Changes.Add("dropped the predicted-rate checks (T12 predicts rates for balanced starts only)");
            }
            t.Claim = c with { Simulation = spec };
            t.Changes.Add($"start {init} -> its weights (dyadic rationals) with {Halved(t.Networks[0].Architecture)}");
        }
    }

    private static Dictionary<string, Rational[,]> Unbalanced(IReadOnlyDictionary<string, Rational[,]> point, Architecture arch)
    {
        var copy = point.ToDictionary(kv => kv.Key, kv => kv.Value);
        var last = $"W{arch.Depth}";
        var w = (Rational[,])copy[last].Clone();
        for (int r = 0; r < w.GetLength(0); r++)
            for (int c = 0; c < w.GetLength(1); c++) w[r, c] *= UnbalanceFactor;
        copy[last] = w;
        return copy;
    }

    /// <summary>The start an init string describes, as exact matrices (a double counts as the dyadic rational it is).</summary>
    private static Dictionary<string, Rational[,]> ExactStart(string init, Architecture arch)
    {
        var layout = new WeightLayout(arch);
        var start = Initialisation.Parse(init, layout);
        var values = start.Exact ?? start.Weights.Select(Rational.FromDouble).ToArray();
        var point = new Dictionary<string, Rational[,]>();
        for (int j = 1; j <= arch.Depth; j++)
        {
            var m = new Rational[layout.Rows(j), layout.Cols(j)];
            for (int r = 0; r < layout.Rows(j); r++)
                for (int c = 0; c < layout.Cols(j); c++) m[r, c] = values[layout.Index(j, r, c)];
            point[$"W{j}"] = m;
        }
        return point;
    }

    // ---------------------------------------------------------------- one-neuron

    private static void DropOneNeuron(Transformation t)
    {
        if (t.AllSizes is not null)
        {
            if (!t.RequiresOne) return;
            // At all sizes: the same claim with no width-1 layer, refutable at a widened instance.
            t.RequiresOne = false;
            t.Changes.Add("dropped one-neuron: the claim for all widths, none of them 1");
            var widened = t.Networks.Select(n => n.Architecture.OneNeuronLayer is null ? n : n with { Architecture = Widen(n.Architecture) }).ToList();
            t.Networks.Clear();
            t.Networks.AddRange(widened.Count > 0 ? widened : [new NetworkSpec(new Architecture([2, 2, 2]), Target.Parse("symbolic"), 1, null)]);
            t.Changes.Add($"instances to refute it on: {string.Join("; ", t.Networks.Select(n => n.Describe()))}");
            return;
        }
        if (!t.Networks.Any(n => n.Architecture.HasHiddenOneNeuronLayer))
        {
            if (t.RequiresOne) t.Cannot = "cannot drop one-neuron: the lemma's width-1 layers are the input or output (the target's shape), not hidden layers";
            return;
        }
        t.RequiresOne = false;
        for (int i = 0; i < t.Networks.Count; i++)
        {
            var n = t.Networks[i];
            if (!n.Architecture.HasHiddenOneNeuronLayer) continue;
            var wide = Widen(n.Architecture);
            var point = n.Point.Count > 0 ? n.Point : t.Claim.Point;
            var change = $"dropped one-neuron: widths {n.Architecture} -> {wide}";
            var carried = (IReadOnlyDictionary<string, Rational[,]>)new Dictionary<string, Rational[,]>();
            if (point.Count > 0)
            {
                carried = Pad(point, wide);
                change += "; exact start padded with zeros (P unchanged)";
            }
            t.Networks[i] = n with { Architecture = wide, Point = carried };
            t.Changes.Add(change);
        }
        if (t.Claim is ForallClaim { Reductions.Count: > 0 } f)
        {
            t.Claim = f with { Reductions = [] };
            t.Changes.Add($"dropped the reductions {string.Join(", ", f.Reductions)} (they need a one-neuron layer)");
        }
        if (t.Claim is ConvergesClaim c)
        {
            var spec = c.Simulation;
            if (spec.Reduction is Reduction.Balanced or Reduction.TwoLayer)
            {
                t.Changes.Add($"reduction {Vocabularies.Reduction.Name(spec.Reduction)} -> auto (it needs a one-neuron layer)");
                spec = spec with { Reduction = Reduction.Auto };
            }
            if (spec.Init is string init)
            {
                var old = t.Original.Networks;
                var kind = init.Trim().Split(':')[0];
                if (kind == "balanced")
                {
                    var rewritten = WidenBalancedInit(init, old.Where(n => n.Architecture.HasHiddenOneNeuronLayer).Select(n => n.Architecture).FirstOrDefault());
                    if (rewritten != init) t.Changes.Add($"start {init} -> {rewritten} (the widened layer's direction (1, 0): P unchanged)");
                    spec = spec with { Init = rewritten };
                }
                else if (kind == "random") t.Changes.Add($"start {init}: drawn anew on the widened widths (P changes)");
                else if (kind == "weights")
                {
                    for (int i = 0; i < t.Networks.Count; i++)
                        if (old[i].Architecture.HasHiddenOneNeuronLayer)
                            t.Networks[i] = t.Networks[i] with { Point = Pad(ExactStart(init, old[i].Architecture), t.Networks[i].Architecture) };
                    spec = spec with { Init = null };
                    t.Changes.Add("start weights padded with zeros (P unchanged)");
                }
            }
            t.Claim = c with { Simulation = spec };
        }
        if (t.Claim.Point.Count > 0) t.Claim = t.Claim with { Point = new Dictionary<string, Rational[,]>() }; // carried per network above
    }

    private static Architecture Widen(Architecture arch) =>
        new(arch.Widths.Select((w, j) => w == 1 && j >= 1 && j <= arch.Depth - 1 ? 2 : w).ToList());

    /// <summary>The point on wider layers of the same depth: old entries top-left, zeros elsewhere (P unchanged); null when a layer got narrower.</summary>
    private static Dictionary<string, Rational[,]> Pad(IReadOnlyDictionary<string, Rational[,]> point, Architecture wide)
    {
        var result = new Dictionary<string, Rational[,]>();
        for (int j = 1; j <= wide.Depth; j++)
        {
            var old = point[$"W{j}"];
            var m = Zeros(wide.Width(j), wide.Width(j - 1));
            for (int r = 0; r < old.GetLength(0); r++)
                for (int c = 0; c < old.GetLength(1); c++) m[r, c] = old[r, c];
            result[$"W{j}"] = m;
        }
        return result;
    }

    private static Rational[,] Zeros(int rows, int cols)
    {
        var m = new Rational[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) m[r, c] = Rational.Zero;
        return m;
    }

    /// <summary>A balanced init on the widened widths: the width-1 hidden layer's vector w_k (default 1) gets a 0 appended.</summary>
    private static string WidenBalancedInit(string init, Architecture? arch)
    {
        if (arch?.OneNeuronLayer is not int k || k < 1 || k >= arch.Depth) return init;
        var fields = BalancedFields(init);
        var key = $"w{k}";
        fields[key] = (fields.TryGetValue(key, out var v) ? v : "1") + ";0";
        return "balanced:" + string.Join(",", fields.Select(kv => $"{kv.Key}={kv.Value}"));
    }

    private static Dictionary<string, string> BalancedFields(string init)
    {
        var rest = init[(init.IndexOf(':') + 1)..];
        var fields = new Dictionary<string, string>();
        foreach (var part in rest.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq > 0) fields[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }
        return fields;
    }

    // ---------------------------------------------------------------- whitened

    private static void DropWhitened(Transformation t)
    {
        for (int i = 0; i < t.Networks.Count; i++)
        {
            var n = t.Networks[i];
            if (n.Target is not DataTarget { IsWhitened: true } data) continue;
            var x = (Rational[,])data.X.Clone();
            for (int c = 0; c < x.GetLength(1); c++) x[0, c] *= 2;
            var changed = new DataTarget(x, data.Y);
            t.Networks[i] = n with { Target = changed };
            t.Changes.Add($"dropped whitened: the first row of X doubled on widths {n.Architecture} (X X^T != I)");
        }
    }

    // ---------------------------------------------------------------- depth and widths

    /// <summary>
    /// The widths at another depth (proofs/README.md): d_0, d_N and the one-neuron layer are kept; hidden layers of width 2 are
    /// inserted right after the one-neuron layer (before the output when there is none), and removed from the output side
    /// (never the one-neuron layer).
    /// </summary>
    public static Architecture AtDepth(Architecture arch, int depth)
    {
        var w = arch.Widths.ToList();
        int? k = arch.HasHiddenOneNeuronLayer ? arch.OneNeuronLayer : null;
        while (w.Count - 1 < depth) w.Insert(k is int kk ? kk + 1 : w.Count - 1, 2);
        while (w.Count - 1 > depth)
        {
            int j = Enumerable.Range(1, w.Count - 2).Reverse().FirstOrDefault(j => j != k, -1);
            if (j < 0) break;
            w.RemoveAt(j);
        }
        return new Architecture(w);
    }

    private static readonly Regex FixedIndex = new(@"\bW([2-9]|\d{2,})\b|\bW\s*\[\s*(\d+)\s*\]|\bC\s*\[\s*(\d+)\s*\]");

    /// <summary>The first layer or imbalance named by a fixed index other than 1 (W2, W[3], C[1]): such a claim does not follow a change of depth.</summary>
    private static string? HardCodedIndex(Lemma lemma)
    {
        var c = lemma.Claim;
        var texts = new List<string> { c.Text };
        texts.AddRange(c.Definitions.Select(d => d.Text));
        if (c is ForallClaim f) texts.AddRange(f.Hypotheses.Select(h => h.Text));
        if (c is InvariantClaim inv)
        {
            texts.AddRange(inv.Equations.Select(e => e.Text));
            if (inv.Excludes is { } x) texts.Add(x.Text);
            foreach (var q in inv.Inequalities) { texts.Add(q.Expression.Text); texts.AddRange(q.Boundary.Select(b => b.Text)); if (q.Lambda is { } l) texts.Add(l.Text); }
        }
        foreach (var text in texts)
            foreach (Match m in FixedIndex.Matches(text))
            {
                var digits = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value;
                if (m.Groups[3].Success || digits != "1") return m.Value;
            }
        return null;
    }

    private static void ReDepth(Transformation t, int depth, string what)
    {
        if (t.AllSizes is { } sizes)
        {
            if (what.StartsWith("dropped", StringComparison.Ordinal) && sizes.Depth is null && sizes.MinDepth > depth)
            {
                t.AllSizes = sizes with { MinDepth = depth };
                t.Changes.Add($"{what}: the claim for every depth N >= {depth} (was N >= {sizes.MinDepth})");
                return;
            }
            if (sizes.Depth is { } d && d != depth) t.Cannot = $"cannot re-instantiate at depth {depth}: the claim is about depth {d} only (depth = {d})";
            else if (depth < sizes.MinDepth) t.Cannot = $"cannot re-instantiate at depth {depth}: the claim is about depth >= {sizes.MinDepth}";
            return; // an all-sizes claim covers the depth already
        }
        if (t.Networks.All(n => n.Architecture.Depth == depth)) return;
        if (HardCodedIndex(t.Original) is { } fixedName)
        {
            t.Cannot = $"cannot re-instantiate at depth {depth}: the claim names {fixedName} by a fixed index; write it with a loop (e.g. {{ expr = \"C[j]\", each = \"j = 1..N-1\" }}, W[N]) to follow the depth";
            return;
        }
        for (int i = 0; i < t.Networks.Count; i++)
        {
            var n = t.Networks[i];
            if (n.Architecture.Depth == depth) continue;
            var arch = AtDepth(n.Architecture, depth);
            if (arch.Depth != depth) { t.Cannot = $"cannot re-instantiate widths {n.Architecture} at depth {depth}: only the one-neuron layer is left"; return; }
            var point = n.Point.Count > 0 ? n.Point : t.Claim.Point;
            var change = $"{what}: widths {n.Architecture} -> {arch}";
            IReadOnlyDictionary<string, Rational[,]> carried = new Dictionary<string, Rational[,]>();
            if (point.Count > 0)
            {
                if (CarryToDepth(point, n.Architecture, arch, out var how) is not { } moved)
                {
                    t.Cannot = $"cannot re-instantiate the exact start of widths {n.Architecture} at depth {depth}: {how}";
                    return;
                }
                carried = moved;
                change += $"; exact start {how}";
            }
            t.Networks[i] = n with { Architecture = arch, Point = carried };
            t.Changes.Add(change);
        }
        if (t.Claim.Point.Count > 0) t.Claim = t.Claim with { Point = new Dictionary<string, Rational[,]>() };
        // Networks that came out the same (several depths of one family) are checked once.
        var seen = new HashSet<string>();
        int before = t.Networks.Count;
        t.Networks.RemoveAll(n => n.Point.Count == 0 && !seen.Add($"{n.Describe()}|{n.Expect}"));
        if (t.Networks.Count < before) t.Changes.Add($"{before - t.Networks.Count} network(s) that came out the same are checked once");
        if (t.Claim is ConvergesClaim c && c.Simulation.Init is string init)
        {
            var kind = init.Trim().Split(':')[0];
            if (kind == "balanced")
            {
                var rewritten = BalancedInitAtDepth(init, t.Original.Networks[0].Architecture, depth);
                if (rewritten != init) t.Changes.Add($"start {init} -> {rewritten}");
                t.Claim = c with { Simulation = c.Simulation with { Init = rewritten } };
            }
            else if (kind == "random") t.Changes.Add($"start {init}: drawn anew on the new widths");
            else if (kind == "weights") { t.Cannot = $"cannot re-instantiate at depth {depth}: the start is given as weights in init; give it as [network.point]"; return; }
        }
    }

    /// <summary>
    /// An exact start at another depth. Balanced with rational rho (every layer rho w_j w_{j-1}^T): inserted layers are
    /// rho e_1 (e_1)^T after the one-neuron layer and a removed layer j merges into (W_{j+1} W_j) / rho, so the start stays
    /// balanced with the same rho, x, y. The start W = 0 stays W = 0. Otherwise the insertion is e_1 (e_1)^T and a merge is
    /// W_{j+1} W_j, so P is unchanged.
    /// </summary>
    private static Dictionary<string, Rational[,]>? CarryToDepth(IReadOnlyDictionary<string, Rational[,]> point, Architecture from, Architecture to, out string how)
    {
        var layers = Enumerable.Range(1, from.Depth).Select(j => point[$"W{j}"]).ToList();
        var widths = from.Widths.ToList();
        Rational c = Rational.One;
        bool balanced = Assumptions.IsBalancedPoint(point, from);
        if (balanced)
        {
            Rational rho2 = Rational.Zero;
            foreach (var e in layers[0]) rho2 += e * e;
            if (rho2.TrySqrt() is { } rho) c = rho;
            else balanced = false;
        }
        // The start W = 0 (E1) stays W = 0: inserted layers are zero too (e_1 e_1^T would leave the set {W_j = 0}).
        bool zero = layers.All(l => l.Cast<Rational>().All(e => e.IsZero));
        if (zero) (c, balanced) = (Rational.Zero, false);
        how = zero ? "carried as W = 0" : balanced ? $"rebuilt balanced with the same rho = {c}" : "carried with P unchanged";
        int? k = from.HasHiddenOneNeuronLayer ? from.OneNeuronLayer : null;
        while (widths.Count - 1 < to.Depth)
        {
            if (k is not int kk) { how = "there is no hidden one-neuron layer to insert layers after"; return null; }
            // Layer kk+1 (index kk in the list) maps d_kk = 1 -> d_{kk+1}; insert a 2 x 1 layer before it.
            var next = layers[kk];
            var widened = Zeros(next.GetLength(0), 2);
            for (int r = 0; r < next.GetLength(0); r++) widened[r, 0] = next[r, 0];
            var inserted = Zeros(2, widths[kk]);
            inserted[0, 0] = c;
            layers[kk] = widened;
            layers.Insert(kk, inserted);
            widths.Insert(kk + 1, 2);
            // A second insertion widens the first inserted layer to 2 x 2: rho e_1 e_1^T.
        }
        while (widths.Count - 1 > to.Depth)
        {
            int j = Enumerable.Range(1, widths.Count - 2).Reverse().FirstOrDefault(j => j != k, -1);
            if (j < 0) { how = "only the one-neuron layer is left"; return null; }
            var merged = Multiply(layers[j], layers[j - 1]);
            if (balanced)
                for (int r = 0; r < merged.GetLength(0); r++)
                    for (int col = 0; col < merged.GetLength(1); col++) merged[r, col] /= c;
            layers[j - 1] = merged;
            layers.RemoveAt(j);
            widths.RemoveAt(j);
        }
        if (!widths.SequenceEqual(to.Widths)) { how = $"the layers came out as {string.Join(",", widths)}, not {to}"; return null; }
        var result = new Dictionary<string, Rational[,]>();
        for (int j = 1; j <= to.Depth; j++) result[$"W{j}"] = layers[j - 1];
        if (balanced && !Assumptions.IsBalancedPoint(result, to)) how = "carried, but it is no longer balanced";
        return result;
    }

    private static Rational[,] Multiply(Rational[,] a, Rational[,] b)
    {
        var m = Zeros(a.GetLength(0), b.GetLength(1));
        for (int r = 0; r < a.GetLength(0); r++)
            for (int c = 0; c < b.GetLength(1); c++)
            {
                Rational s = Rational.Zero;
                for (int i = 0; i < a.GetLength(1); i++) s += a[r, i] * b[i, c];
                m[r, c] = s;
            }
        return m;
    }

    /// <summary>A balanced init at another depth: the hidden directions w_j follow their layers (new layers take e_1, the default).</summary>
    private static string BalancedInitAtDepth(string init, Architecture from, int depth)
    {
        var fields = BalancedFields(init);
        int? k = from.HasHiddenOneNeuronLayer ? from.OneNeuronLayer : null;
        var hidden = Enumerable.Range(1, from.Depth - 1).Select(j => fields.GetValueOrDefault($"w{j}")).ToList(); // index j-1
        while (hidden.Count + 1 < depth) hidden.Insert(k is int kk ? kk : hidden.Count, null);
        while (hidden.Count + 1 > depth)
        {
            int j = Enumerable.Range(1, hidden.Count).Reverse().FirstOrDefault(j => j != k, -1);
            if (j < 0) break;
            hidden.RemoveAt(j - 1);
        }
        var kept = fields.Where(kv => !Regex.IsMatch(kv.Key, @"^w\d+$")).Select(kv => $"{kv.Key}={kv.Value}").ToList();
        kept.AddRange(hidden.Select((v, i) => (v, i)).Where(x => x.v is not null).Select(x => $"w{x.i + 1}={x.v}"));
        return "balanced:" + string.Join(",", kept);
    }

    private static void ReWidth(Transformation t, Modification m)
    {
        if (t.AllSizes is not null)
        {
            // An all-sizes claim at one instance: the same expressions on those widths, by the instance rules.
            t.AllSizes = null;
            var widths = m.Widths ?? throw new LemmaFileException(t.Original.Path, 1, "an all-sizes lemma has no widths of its own: give --widths with --target");
            t.Networks.Clear();
            t.Networks.Add(new NetworkSpec(widths, m.Target ?? Target.Parse("symbolic"), 1, null));
            if (widths.OneNeuronLayer is null) t.RequiresOne = false;
            t.Changes.Add($"instance of the all-sizes claim: {t.Networks[0].Describe()}");
            return;
        }
        if (m.Widths is null)
        {
            for (int i = 0; i < t.Networks.Count; i++) t.Networks[i] = t.Networks[i] with { Target = m.Target! };
            t.Changes.Add($"networks: {string.Join("; ", t.Networks.Select(n => n.Describe()))}");
            return;
        }
        var w = m.Widths;
        if (w.Depth != t.Networks[0].Architecture.Depth && HardCodedIndex(t.Original) is { } fixedName)
        {
            t.Cannot = $"cannot re-instantiate on widths {w}: the claim names {fixedName} by a fixed index; write it with a loop (e.g. {{ expr = \"C[j]\", each = \"j = 1..N-1\" }}, W[N]) to follow the depth";
            return;
        }
        // The network whose target fits the new input and output widths; never a target of another shape.
        var basis = t.Networks.FirstOrDefault(n => n.Architecture.Width(0) == w.Width(0) && n.Architecture.Width(n.Architecture.Depth) == w.Width(w.Depth));
        var target = m.Target ?? basis?.Target;
        if (target is null || (basis is null && m.Target is null))
        {
            t.Cannot = $"cannot re-instantiate on widths {w}: no network of the lemma has d_0 = {w.Width(0)} and d_N = {w.Width(w.Depth)} ({string.Join("; ", t.Networks.Select(n => n.Describe()))}), so no target fits; give --target";
            return;
        }
        try { if (target is DataTarget data) data.Validate(w); else target.Matrix(w); }
        catch (NetworkInputException e) { t.Cannot = $"cannot re-instantiate on widths {w}: {e.Message}"; return; }
        var spec = basis ?? t.Networks[0];
        var point = spec.Point.Count > 0 ? spec.Point : t.Claim.Point;
        IReadOnlyDictionary<string, Rational[,]> carried = new Dictionary<string, Rational[,]>();
        if (point.Count > 0)
        {
            if (spec.Architecture.Depth != w.Depth && AtDepth(spec.Architecture, w.Depth).Widths.SequenceEqual(w.Widths) && CarryToDepth(point, spec.Architecture, w, out var how) is { } moved)
            {
                carried = moved;
                t.Changes.Add($"exact start {how}");
            }
            else if (spec.Architecture.Depth == w.Depth && w.Widths.Zip(spec.Architecture.Widths).All(p => p.First >= p.Second) && w.Width(0) == spec.Architecture.Width(0) && w.Width(w.Depth) == spec.Architecture.Width(w.Depth))
            {
                carried = Pad(point, w);
                t.Changes.Add("exact start padded with zeros (P unchanged)");
            }
            else t.Changes.Add(StartDropped + $" (widths {w})");
        }
        t.Networks.Clear();
        t.Networks.Add(spec with { Architecture = w, Target = target, Point = carried });
        if (w.OneNeuronLayer is null) t.RequiresOne = false;
        if (t.Claim.Point.Count > 0) t.Claim = t.Claim with { Point = new Dictionary<string, Rational[,]>() };
        if (m.Target is null && t.Original.Networks.Count > 1) t.Changes.Add($"target {target.Describe()} from the lemma's network {spec.Describe()} (the one with d_0 = {w.Width(0)}, d_N = {w.Width(w.Depth)})");
        t.Changes.Add($"networks: {string.Join("; ", t.Networks.Select(n => n.Describe()))}");
    }

    // ---------------------------------------------------------------- running

    /// <summary>Checks the lemma before and after the change, and simulates the countermodels of what did not come out as expected.</summary>
    public static AssumptionResult Run(Lemma lemma, Modification m, CheckOptions options, CancellationToken cancel = default, bool simulate = true)
    {
        var assumes = Assumptions.Of(lemma);
        var t = Apply(lemma, m) ?? throw new LemmaFileException(lemma.Path, 1,
            $"nothing to change: {NotConcerned(lemma, m)}");
        if (t.Cannot is { } reason)
            return new AssumptionResult(lemma, t.Changes, [], []) { CannotTransform = reason, Assumes = assumes, Declared = lemma.Assumes is not null, Undeclared = t.Undeclared };
        var modifiedLemma = t.Build();
        var original = LemmaChecker.Check(lemma, options, cancel);
        IReadOnlyList<LemmaResult> modified;
        try { modified = LemmaChecker.Check(modifiedLemma, options, cancel); }
        catch (LemmaFileException e)
        {
            return new AssumptionResult(lemma, t.Changes, original, []) { CannotTransform = $"the modified lemma cannot be checked: {e.Message}", Assumes = assumes, Declared = lemma.Assumes is not null, Undeclared = t.Undeclared };
        }
        var simulated = new List<SimulatedCountermodel>();
        if (simulate)
            for (int i = 0; i < modified.Count; i++)
            {
                if (modified[i].AsExpected) continue;
                cancel.ThrowIfCancellationRequested();
                simulated.AddRange(Simulate(modifiedLemma, i, modified[i], cancel));
            }
        return new AssumptionResult(lemma, t.Changes, original, modified) { Simulated = simulated, Assumes = assumes, Declared = lemma.Assumes is not null, Undeclared = t.Undeclared };
    }

    /// <summary>Why a modification does not concern a lemma, in words.</summary>
    public static string NotConcerned(Lemma lemma, Modification m)
    {
        var hyps = lemma.Claim is ForallClaim { Hypotheses.Count: > 0 } f ? string.Join(", ", f.Hypotheses.Select(h => h.Name)) : "none";
        return $"{lemma.Id} does not assume {string.Join(", ", m.Drop)} and no network, start or hypothesis of it changes (assumes: {Assumptions.Describe(Assumptions.Of(lemma))}; hypotheses: {hyps}; vocabulary: {string.Join(", ", Assumptions.Names)})";
    }

    /// <summary>
    /// The countermodel of one modified network as a trajectory: the kernel's exact countermodel point when it has one over
    /// the weights, else the network's (transformed) start; for converges claims the check's own simulation.
    /// </summary>
    private static IEnumerable<SimulatedCountermodel> Simulate(Lemma lemma, int index, LemmaResult result, CancellationToken cancel)
    {
        if (lemma.AllSizes is not null && lemma.Networks.Count == 0) yield break;
        var network = lemma.AllSizes is not null ? lemma.Networks.FirstOrDefault(n => result.Network.Contains(n.Describe())) : lemma.Networks.ElementAtOrDefault(index);
        if (network is null) yield break;
        if (result.Outcome.Simulation is { } own)
        {
            yield return new SimulatedCountermodel(result.Network, "the modified lemma's own simulation", own.Request.Start.Description, own.Classification.Describe(), own);
            yield break;
        }
        var arch = network.Architecture;
        if (network.Target is SymbolicTarget) { yield return new SimulatedCountermodel(result.Network, "none", "-", "not simulated: the target is symbolic", null); yield break; }
        var layout = new WeightLayout(arch);
        var starts = new List<(string Source, Initialisation Start)>();
        if (result.Outcome.Witness is { } witness && FromCountermodel(witness, arch) is { } fromKernel)
            starts.Add(("kernel countermodel", Initialisation.FromMatrices(fromKernel, layout, "the kernel's countermodel")));
        if ((network.Point.Count > 0 ? network.Point : lemma.Claim.Point) is { Count: > 0 } point)
            starts.Add(("transformed start", Initialisation.FromMatrices(point, layout, "the transformed exact start")));
        if (starts.Count == 0) { yield return new SimulatedCountermodel(result.Network, "none", "-", "not simulated: no countermodel over the weights and no start", null); yield break; }
        foreach (var (source, start) in starts)
        {
            cancel.ThrowIfCancellationRequested();
            SimulatedCountermodel s;
            try
            {
                var request = new SimulationRequest(arch, network.Target, NumericTarget.Of(arch, network.Target), start) { TMax = 40 };
                var report = Simulator.Run(request, cancel);
                s = new SimulatedCountermodel(result.Network, source, start.Description, report.Classification.Describe(), report);
            }
            catch (Exception e) when (e is NetworkInputException or RequestFieldException or ArgumentException)
            {
                s = new SimulatedCountermodel(result.Network, source, start.Description, $"not simulated: {e.Message}", null);
            }
            yield return s;
        }
    }

    /// <summary>The countermodel as weight matrices (weights it does not mention are 0); null when it assigns no weight.</summary>
    private static Dictionary<string, Rational[,]>? FromCountermodel(Countermodel c, Architecture arch)
    {
        var model = new NetworkModel(arch, new SymbolicTarget());
        var where = new Dictionary<string, (int J, int R, int C)>();
        for (int j = 1; j <= arch.Depth; j++)
        {
            var w = model.Weight(j);
            for (int r = 0; r < w.Rows; r++)
                for (int col = 0; col < w.Cols; col++) where[w[r, col].Variables().Single().Name] = (j, r, col);
        }
        var point = Enumerable.Range(1, arch.Depth).ToDictionary(j => $"W{j}", j => Zeros(arch.Width(j), arch.Width(j - 1)));
        bool any = false;
        foreach (var a in c.Point)
            if (where.TryGetValue(a.Variable.Name, out var at)) { point[$"W{at.J}"][at.R, at.C] = a.Value; any = true; }
        return any ? point : null;
    }
}

/// <summary>A lemma being changed: its networks, claim and flags, what changed, and why it cannot be changed (if so).</summary>
public sealed class Transformation
{
    public Transformation(Lemma lemma)
    {
        Original = lemma;
        Networks = lemma.Networks.ToList();
        Claim = lemma.Claim;
        RequiresOne = lemma.RequiresOneNeuron;
        AllSizes = lemma.AllSizes;
    }

    public Lemma Original { get; }
    public List<NetworkSpec> Networks { get; }
    public Claim Claim { get; set; }
    public bool RequiresOne { get; set; }
    public AllSizesSpec? AllSizes { get; set; }
    public List<string> Changes { get; } = [];
    public List<string> Undeclared { get; } = [];
    public string? Cannot { get; set; }

    public Lemma Lemma => Build();

    /// <summary>The modified lemma and the changes.</summary>
    public (Lemma Lemma, IReadOnlyList<string> Changes) Value => (Build(), Changes);

    public void Deconstruct(out Lemma lemma, out IReadOnlyList<string> changes) => (lemma, changes) = (Build(), Changes);

    public Lemma Build() => Original with { Networks = Networks.ToList(), Claim = Claim, RequiresOneNeuron = RequiresOne, AllSizes = AllSizes };
}
