using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>The standing assumptions of docs/theory.md (gap, balance, one-neuron layer, depth, whitened data), a closed vocabulary.</summary>
public enum Assumption { Gap, Balance, OneNeuron, DepthAtLeast3, Whitened }

/// <summary>
/// What a lemma assumes: declared by <c>assumes = [...]</c>, or inferred from the lemma when it is silent (the defaults of
/// proofs/README.md): a target with s_1 &gt; s_2 implies gap; a balanced start (an exact point with every C_j = 0, a
/// <c>balanced:</c> init, a hypothesis or equation on C_j) implies balance; a hidden layer of width 1 (or
/// <c>requires = "one-neuron"</c>) implies one-neuron; an all-sizes claim from depth 3 on implies depth&gt;=3; a data target
/// with X X^T = I implies whitened.
/// </summary>
public static class Assumptions
{
    /// <summary>The names of the vocabulary, in the order of docs/theory.md.</summary>
    public static readonly IReadOnlyList<string> Names = ["gap", "balance", "one-neuron", "depth>=3", "whitened"];

    public static string Name(Assumption a) => Names[(int)a];

    public static bool TryParse(string name, out Assumption a)
    {
        int i = Names.ToList().IndexOf(name.Trim());
        a = i < 0 ? default : (Assumption)i;
        return i >= 0;
    }

    public static string Describe(IEnumerable<Assumption> set) => set.Any() ? string.Join(", ", set.Order().Select(Name)) : "none";

    /// <summary>The lemma's assumptions: its declaration, else the defaults.</summary>
    public static IReadOnlySet<Assumption> Of(Lemma lemma) => lemma.Assumes is { } declared ? declared.ToHashSet() : Defaults(lemma);

    /// <summary>The assumptions inferred for a lemma that declares none.</summary>
    public static IReadOnlySet<Assumption> Defaults(Lemma lemma)
    {
        var set = new HashSet<Assumption>();
        if (lemma.Networks.Any(n => HasGap(n.Target, n.Architecture))) set.Add(Assumption.Gap);
        if (IsBalancedLemma(lemma)) set.Add(Assumption.Balance);
        if (lemma.RequiresOneNeuron || (lemma.AllSizes is null && lemma.Networks.Any(n => n.Architecture.HasHiddenOneNeuronLayer))) set.Add(Assumption.OneNeuron);
        if (lemma.AllSizes is { } sizes && (sizes.MinDepth >= 3 || sizes.Depth >= 3)) set.Add(Assumption.DepthAtLeast3);
        if (lemma.Networks.Any(n => n.Target is DataTarget { IsWhitened: true })) set.Add(Assumption.Whitened);
        return set;
    }

    /// <summary>s_1 &gt; s_2 for a target whose singular values are known exactly (diagonal, signed permutation).</summary>
    public static bool HasGap(Target target, Architecture arch)
    {
        if (target is DiagonalTarget d)
        {
            var values = d.Values.Select(v => v.Abs()).OrderDescending().ToList();
            if (values.Count == 0 || values[0].IsZero) return false;
            return values.Count == 1 || values[0] != values[1];
        }
        if (target is MatrixTarget)
        {
            if (ExactSvd.Of(target, arch).Decomposition is { } svd && svd.Values.Count > 0)
                return svd.Values.Count == 1 ? !svd.Values[0].IsZero : svd.Values[0] != svd.Values[1];
            // No exact SVD: the gap is a property of the numbers, decided by the simulator's double SVD.
            try
            {
                var s = NumericTarget.Of(arch, target).Singular;
                return s.Length >= 1 && s[0] > 0 && (s.Length == 1 || s[0] - s[1] > 1e-9 * s[0]);
            }
            catch (Exception) { return false; }
        }
        return false;
    }

    /// <summary>A balanced start or a hypothesis / equation on the imbalances C_j.</summary>
    public static bool IsBalancedLemma(Lemma lemma)
    {
        var claim = lemma.Claim;
        if (claim is ConvergesClaim c && c.Simulation.Init is string init && init.TrimStart().StartsWith("balanced", StringComparison.Ordinal)) return true;
        if (claim is ForallClaim f && f.Hypotheses.Any(AssumptionCheck.IsBalanceHypothesis)) return true;
        if (claim is InvariantClaim inv && inv.Equations.Any(e => AssumptionCheck.MentionsImbalance(e.Text))) return true;
        if (claim.Point.Count > 0 && lemma.Networks.Any(n => IsBalancedPoint(claim.Point, n.Architecture))) return true;
        return lemma.Networks.Any(n => n.Point.Count > 0 && IsBalancedPoint(n.Point, n.Architecture));
    }

    /// <summary>Every C_j = W_{j+1}^T W_{j+1} - W_j W_j^T is exactly 0 at the point (and the point is not W = 0).</summary>
    public static bool IsBalancedPoint(IReadOnlyDictionary<string, Rational[,]> point, Architecture arch)
    {
        int n = arch.Depth;
        var w = new Rational[n + 1][,];
        for (int j = 1; j <= n; j++)
        {
            if (!point.TryGetValue($"W{j}", out var m) || m.GetLength(0) != arch.Width(j) || m.GetLength(1) != arch.Width(j - 1)) return false;
            w[j] = m;
        }
        bool anyNonZero = false;
        for (int j = 1; j <= n; j++) foreach (var e in w[j]) anyNonZero |= !e.IsZero;
        if (!anyNonZero) return false;
        for (int j = 1; j < n; j++)
        {
            int d = arch.Width(j);
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                {
                    Rational upper = Rational.Zero, lower = Rational.Zero;
                    for (int r = 0; r < arch.Width(j + 1); r++) upper += w[j + 1][r, a] * w[j + 1][r, b];
                    for (int c = 0; c < arch.Width(j - 1); c++) lower += w[j][a, c] * w[j][b, c];
                    if (upper != lower) return false;
                }
        }
        return true;
    }
}
