using DeepLinearProofs.Algebra;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Proofs;

/// <summary>The verdict on one part of an invariant-set certificate.</summary>
public sealed record CertificatePart(string What, Status Status, string How);

/// <summary>
/// Certifies that a closed set S = {g = 0 for g in G} ∩ {h >= 0 for h in H} is invariant under a
/// polynomial vector field, given through its Lie derivative (THEORY section 6):
/// <list type="bullet">
/// <item>each g: L_F g lies in the ideal of G (coordinate substitution, then exact division; a zero
/// remainder proves membership). Failing that, a point of S with L_F g != 0 refutes invariance.
/// "L_F g = 0 on S" alone is never accepted: x' = 1, g = x^2 has L_F g = 2x = 0 on {x = 0}.</item>
/// <item>each h by a barrier L_F h + lambda h >= 0 on all of {G = 0} (Gronwall), exactly or by SMT; or by a
/// boundary set K: {G = 0, h = 0} ⊆ {K = 0}, {G, K = 0} invariant, h = 0 on it (uniqueness: S ∩ {h = 0}
/// cannot be reached from h > 0). "L_F h >= 0 where h = 0" is not a rule here: x' = 1, h = -x^3.</item>
/// </list>
/// </summary>
public sealed class InvarianceCertifier(Func<Polynomial, Polynomial> lie, SmtSession smt, IReadOnlyList<(string Comment, Formula Formula)> sideConditions)
{
    public List<CertificatePart> Parts { get; } = [];
    public bool UsedExact { get; private set; }

    /// <summary>Certifies the equations; returns false when any is refuted or uncertified.</summary>
    public void Equations(IReadOnlyList<(string Label, Polynomial G)> equations)
    {
        foreach (var (label, g) in equations)
        {
            var lg = lie(g);
            var how = InIdeal(lg, equations.Select(e => e.G).ToList());
            if (how is not null)
            {
                UsedExact = true;
                Parts.Add(new CertificatePart($"equation {label} = 0 is invariant", Status.Proved, $"L_F g in the ideal of the equations ({how}, exact)"));
                continue;
            }
            var assertions = EquationAssertions(equations).Append(new Assertion($"L_F({label}) != 0 somewhere on S", Formula.Atom(lg, Relation.Ne))).ToList();
            var v = smt.Unsat($"equation-{label}-leaves", assertions, []);
            Parts.Add(v.Status == SmtStatus.Refuted
                ? new CertificatePart($"equation {label} = 0 is invariant", Status.Refuted, $"a point of the set where L_F({label}) != 0, so the flow leaves it: {v.Detail}")
                : new CertificatePart($"equation {label} = 0 is invariant", Status.Unknown,
                    $"L_F({label}) is not shown to lie in the ideal of the equations (no zero remainder){(v.Status == SmtStatus.Proved ? "; it does vanish on the set, which alone is not a proof" : "")}"));
        }
    }

    /// <summary>h >= 0 with a barrier multiplier lambda: L_F h + lambda h >= 0 on the whole equation set.</summary>
    public void Barrier(string label, Polynomial h, Polynomial lambda, IReadOnlyList<(string Label, Polynomial G)> equations)
    {
        var r = lie(h) + lambda * h;
        var exact = InIdeal(r, equations.Select(e => e.G).ToList());
        if (exact is not null)
        {
            UsedExact = true;
            Parts.Add(new CertificatePart($"inequality {label} >= 0 is preserved", Status.Proved, $"L_F h = -lambda h on the equation set ({exact}, exact; Gronwall)"));
            return;
        }
        var assertions = EquationAssertions(equations)
            .Concat(sideConditions.Select(s => new Assertion(s.Comment, s.Formula)))
            .Append(new Assertion($"barrier fails: L_F({label}) + lambda*({label}) < 0", Formula.Atom(r, Relation.Lt))).ToList();
        var v = smt.Unsat($"barrier-{label}", assertions, []);
        Parts.Add(new CertificatePart($"inequality {label} >= 0 is preserved", v.Status == SmtStatus.Proved ? Status.Proved : Status.Unknown,
            v.Status == SmtStatus.Proved ? $"L_F h >= -lambda h on the equation set ({v.Basis}; Gronwall)" : $"barrier not certified: {v.Detail}"));
    }

    /// <summary>h >= 0 with a boundary set K: {G, h = 0} ⊆ {K = 0}, {G, K} invariant, h in the ideal of {G, K}.</summary>
    public void Boundary(string label, Polynomial h, IReadOnlyList<(string Label, Polynomial G)> boundary, IReadOnlyList<(string Label, Polynomial G)> equations)
    {
        var what = $"inequality {label} >= 0 is preserved";
        var union = equations.Concat(boundary).ToList();
        var unionPolys = union.Select(e => e.G).ToList();
        if (InIdeal(h, unionPolys) is null)
        {
            Parts.Add(new CertificatePart(what, Status.Unknown, $"{label} is not shown to vanish on the boundary set (no zero remainder)"));
            return;
        }
        foreach (var (kLabel, k) in boundary)
        {
            if (InIdeal(lie(k), unionPolys) is null)
            {
                Parts.Add(new CertificatePart(what, Status.Unknown, $"boundary set not shown invariant: L_F({kLabel}) has no zero remainder"));
                return;
            }
        }
        var assertions = EquationAssertions(equations)
            .Append(new Assertion($"{label} = 0", Formula.Atom(h, Relation.Eq)))
            .Append(new Assertion("outside the boundary set", Formula.Or(boundary.Select(k => Formula.Atom(k.G, Relation.Ne))))).ToList();
        var v = smt.Unsat($"boundary-{label}", assertions, []);
        UsedExact = true;
        Parts.Add(new CertificatePart(what, v.Status == SmtStatus.Proved ? Status.Proved : Status.Unknown,
            v.Status == SmtStatus.Proved
                ? $"{{equations, {label} = 0}} lies in the invariant boundary set {{{string.Join(", ", boundary.Select(b => b.Label).Distinct())} = 0}} ({v.Basis}; invariance and h = 0 there exact); uniqueness keeps h > 0"
                : $"boundary containment not certified: {v.Detail}"));
    }

    /// <summary>A description of how p was shown to lie in the ideal of the generators, or null.</summary>
    public static string? InIdeal(Polynomial p, IReadOnlyList<Polynomial> generators)
    {
        if (p.IsZero) return "identically zero";
        var coordinates = new Dictionary<Variable, Polynomial>();
        foreach (var g in generators)
            if (g.TermCount == 1 && g.Terms.Single().Key is { VariableCount: 1, TotalDegree: 1 } m)
                coordinates[m.Factors.Single().Var] = Polynomial.Zero;
        var reduced = coordinates.Count > 0 ? p.Substitute(coordinates) : p;
        if (reduced.IsZero) return "coordinate substitution";
        var rest = generators.Select(g => coordinates.Count > 0 ? g.Substitute(coordinates) : g).Where(g => !g.IsZero).Distinct().ToList();
        if (rest.Count == 0) return null;
        var (_, remainder) = Division.Divide(reduced, rest);
        if (remainder.IsZero) return coordinates.Count > 0 ? "coordinate substitution, then exact division" : rest.Count == 1 ? "exact division (Darboux)" : "exact division";
        return null;
    }

    private static IEnumerable<Assertion> EquationAssertions(IReadOnlyList<(string Label, Polynomial G)> equations) =>
        equations.Select(e => new Assertion($"on S: {e.Label} = 0", Formula.Atom(e.G, Relation.Eq)));
}
