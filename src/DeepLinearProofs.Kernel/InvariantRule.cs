using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Kernel;

public static partial class ProofKernel
{
    /// <summary>
    /// The certificate of an invariant set S = {G = 0} ∩ {H &gt;= 0} (docs/theory.md, section 6), every part checked here:
    /// <list type="bullet">
    /// <item>g in G: L_F g = sum q_i g_i with the given cofactors, checked by multiplication (then {G = 0} is invariant forwards
    /// and backwards: the vector G solves a linear ODE from 0). A point of S with L_F g != 0 refutes invariance.
    /// "L_F g = 0 on S" alone is never accepted: x' = 1, g = x^2.</item>
    /// <item>h in H by a barrier: L_F h + lambda h &gt;= 0 on all of {G = 0} (exact by cofactors, or SMT), then Gronwall; or by a
    /// boundary set K: h and every L_F k in the ideal of G ∪ K (cofactors), and {G = 0, h = 0} ⊆ {K = 0} (SMT), so h = 0 can
    /// be reached only from inside the invariant set {G, K = 0}, where h = 0 already. "L_F h &gt;= 0 where h = 0" is no rule.</item>
    /// <item>S has no point satisfying Excludes (SMT); the exact start lies in S (exact evaluation).</item>
    /// </list>
    /// Every countermodel must lie in S: all equations and all inequalities, checked exactly.
    /// </summary>
    public static Verdict Invariant(InvariantStatement s, KernelSession k) => Seal(InvariantRuleCheck(s, k), "invariant", s, k);

    /// <summary>One step of the certificate: its verdict, the basis of that step alone and the SMT obligation it asked, if any.</summary>
    private sealed record Part(string What, Verdict Verdict, string Basis = "exact", string? Obligation = null);

    private static Verdict InvariantRuleCheck(InvariantStatement s, KernelSession k)
    {
        if (Twice(s.Field.Select(f => f.Variable)) is { } twiceRate) return Verdict.Error("exact", $"the field gives {twiceRate} two rates");
        if (Twice(s.Start.Select(a => a.Variable)) is { } twiceValue) return Verdict.Error("exact", $"the start assigns {twiceValue} twice");
        var field = s.Field.ToDictionary(f => f.Variable, f => f.Rate);
        var polynomials = s.Equations.Select(g => g.G).Concat(s.Inequalities.SelectMany(q => new[] { q.H, q.Lambda ?? Polynomial.Zero }.Concat(q.Boundary.Select(b => b.G))))
            .Concat(s.Excludes is { } ex ? Atoms(ex.Formula) : []);
        var stray = polynomials.SelectMany(p => p.Variables()).Distinct().Where(v => !field.ContainsKey(v)).ToList();
        if (stray.Count > 0)
            return Verdict.Error("exact", $"the set mentions {string.Join(", ", stray.Take(3).Select(v => v.Name))}, which is not a state variable of the flow (a square root or a free symbol): its time derivative is unknown; write the set with polynomials in the weights");
        Polynomial Lie(Polynomial p)
        {
            var b = new PolynomialBuilder();
            foreach (var v in p.Variables()) b.AddProduct(p.Derivative(v), field[v]);
            return b.ToPolynomial();
        }
        var inS = s.Equations.Select(g => new Labeled($"in S: {g.Label} = 0", Formula.Atom(g.G, Relation.Eq)))
            .Concat(s.Inequalities.Select(q => new Labeled($"in S: {q.Label} >= 0", Formula.Atom(q.H, Relation.Ge)))).ToList();
        var onEquations = inS.Take(s.Equations.Count).ToList();
        bool InSet(Dictionary<Variable, Rational> p) => inS.All(a => a.Formula.Holds(v => p.GetValueOrDefault(v)));
        var generators = s.Equations.Select(g => g.G).ToList();
        var parts = new List<Part>();
        k.UsedExact = true;

        if (s.Invariance)
        {
            foreach (var g in s.Equations)
            {
                var what = $"equation {g.Label} = 0 is invariant";
                var lg = Lie(g.G);
                if (InIdeal(lg, generators, g.Cofactors)) { parts.Add(new(what, Verdict.Proved(k.Basis, "L_F g = sum q_i g_i, cofactors checked by multiplication"))); continue; }
                var leaves = $"leaves-{Slug(g.Label)}";
                var reply = k.Ask(leaves, inS.Append(new Labeled($"L_F({g.Label}) != 0", Formula.Atom(lg, Relation.Ne))).ToList());
                if (reply is SmtReply.Sat sat && Point(sat.Model, inS.Select(a => a.Formula).Append(Formula.Atom(lg, Relation.Ne))) is var p && InSet(p) && !lg.Evaluate(v => p.GetValueOrDefault(v)).IsZero)
                {
                    k.UsedSolver();
                    parts.Add(new(what, Verdict.Refuted(k.Basis, $"at a point of S (every equation and inequality checked) L_F({g.Label}) != 0, so the flow leaves S", Model(p, null)), k.SolverName, leaves));
                }
                else parts.Add(new(what, Verdict.Unknown(k.Basis, $"no cofactors with L_F({g.Label}) = sum q_i g_i were found" +
                    (reply is SmtReply.Unsat ? "; L_F g does vanish on S, which alone is not a proof" : "")), k.SolverName, leaves));
            }
            foreach (var q in s.Inequalities)
            {
                var what = $"inequality {q.Label} >= 0 is preserved";
                if (q.Lambda is { } lambda)
                {
                    var r = Lie(q.H) + lambda * q.H;
                    if (InIdeal(r, generators, q.BarrierCofactors)) { parts.Add(new(what, Verdict.Proved(k.Basis, "L_F h + lambda h = sum q_i g_i (cofactors checked): = 0 on the equation set; Gronwall"))); continue; }
                    var barrier = $"barrier-{Slug(q.Label)}";
                    var reply = k.Ask(barrier, onEquations.Append(new Labeled($"barrier fails: L_F({q.Label}) + lambda*({q.Label}) < 0", Formula.Atom(r, Relation.Lt))).ToList());
                    if (reply is SmtReply.Unsat) { k.UsedSolver(); parts.Add(new(what, Verdict.Proved(k.Basis, "L_F h + lambda h >= 0 on the whole equation set (unsat); Gronwall"), k.SolverName, barrier)); }
                    else parts.Add(new(what, Verdict.Unknown(k.Basis, $"barrier not certified on the equation set: {Reason(reply)}"), k.SolverName, barrier));
                    continue;
                }
                var union = generators.Concat(q.Boundary.Select(b => b.G)).ToList();
                if (q.Boundary.Count == 0 || !InIdeal(q.H, union, q.HCofactors)) { parts.Add(new(what, Verdict.Unknown(k.Basis, $"{q.Label} is not shown to lie in the ideal of the equations and the boundary set"))); continue; }
                if (q.Boundary.FirstOrDefault(b => !InIdeal(Lie(b.G), union, b.Cofactors)) is { } open) { parts.Add(new(what, Verdict.Unknown(k.Basis, $"boundary set not shown invariant: no cofactors for L_F({open.Label})"))); continue; }
                var boundary = $"boundary-{Slug(q.Label)}";
                var contain = k.Ask(boundary, onEquations.Append(new Labeled($"{q.Label} = 0", Formula.Atom(q.H, Relation.Eq)))
                    .Append(new Labeled("outside the boundary set", Formula.Or(q.Boundary.Select(b => Formula.Atom(b.G, Relation.Ne))))).ToList());
                if (contain is SmtReply.Unsat) { k.UsedSolver(); parts.Add(new(what, Verdict.Proved(k.Basis, "{G = 0, h = 0} lies in the invariant boundary set, where h = 0 (cofactors checked); uniqueness keeps h > 0"), $"exact+{k.SolverName}", boundary)); }
                else parts.Add(new(what, Verdict.Unknown(k.Basis, $"boundary containment not certified: {Reason(contain)}"), $"exact+{k.SolverName}", boundary));
            }
        }
        if (s.Excludes is { } excludes)
        {
            var what = $"S contains no point with {excludes.Label}";
            var reply = k.Ask("disjoint", inS.Append(new Labeled($"excluded: {excludes.Label}", excludes.Formula)).ToList());
            if (reply is SmtReply.Unsat) { k.UsedSolver(); parts.Add(new(what, Verdict.Proved(k.Basis, "unsat"), k.SolverName, "disjoint")); }
            else if (reply is SmtReply.Sat sat && Point(sat.Model, inS.Select(a => a.Formula).Append(excludes.Formula)) is var p && InSet(p) && excludes.Formula.Holds(v => p.GetValueOrDefault(v)))
            {
                k.UsedSolver();
                parts.Add(new(what, Verdict.Refuted(k.Basis, $"a point of S (every constraint checked) satisfies {excludes.Label}", Model(p, null)), k.SolverName, "disjoint"));
            }
            else parts.Add(new(what, Verdict.Unknown(k.Basis, Reason(reply)), k.SolverName, "disjoint"));
        }
        if (s.Start.Count > 0)
        {
            var start = Point(s.Start);
            var missing = inS.SelectMany(a => a.Formula.Variables()).Distinct().Where(v => !start.ContainsKey(v)).Select(v => v.Name).Take(3).ToList();
            if (missing.Count > 0) return Verdict.Error("exact", $"the start does not fix {string.Join(", ", missing)}: give every layer");
            var failing = inS.FirstOrDefault(a => !a.Formula.Holds(v => start[v]));
            parts.Add(new("the exact start lies in S", failing is null
                ? Verdict.Proved(k.Basis, "exact evaluation")
                : Verdict.Refuted(k.Basis, $"the start violates '{failing.Label}' (exact)", Model(start, null))));
        }
        else
        {
            var reply = k.Ask("set-nonempty", inS);
            if (reply is SmtReply.Unsat) { k.UsedSolver(); return Verdict.Vacuous(k.Basis, "S is empty: every statement about it holds vacuously"); }
            if (reply is not SmtReply.Sat sat || Point(sat.Model, inS.Select(a => a.Formula)) is var p && !InSet(p))
                parts.Add(new("S is not empty", Verdict.Unknown(k.Basis, $"could not confirm a point of S: {Reason(reply)}"), k.SolverName, "set-nonempty"));
        }
        if (parts.Count == 0) return Verdict.Vacuous(k.Basis, "nothing to check");
        var summary = string.Join("; ", parts.Select(p => $"{p.What}: {p.Verdict.Status.ToString().ToLowerInvariant()} ({p.Verdict.Detail})"));
        var steps = parts.Select(p => new VerdictStep(p.What, p.Verdict.Status, p.Basis, p.Verdict.Detail, p.Obligation)).ToList();
        if (parts.FirstOrDefault(p => p.Verdict.Status == Status.Refuted) is { } refuted)
            return Verdict.Refuted(k.Basis, $"{refuted.What} is false: {refuted.Verdict.Detail}", refuted.Verdict.Countermodel).WithSteps(steps);
        if (parts.Any(p => p.Verdict.Status != Status.Proved)) return Verdict.Unknown(k.Basis, summary).WithSteps(steps);
        return Verdict.Proved(k.Basis, summary).WithSteps(steps);
    }

    /// <summary>p = sum q_i g_i exactly, with the given cofactors (a missing list is "no certificate").</summary>
    private static bool InIdeal(Polynomial p, IReadOnlyList<Polynomial> generators, IReadOnlyList<Polynomial>? cofactors)
    {
        if (p.IsZero) return true;
        if (cofactors is null || cofactors.Count != generators.Count) return false;
        var b = new PolynomialBuilder();
        for (int i = 0; i < generators.Count; i++) b.AddProduct(cofactors[i], generators[i]);
        return b.ToPolynomial() == p;
    }

    private static IEnumerable<Polynomial> Atoms(Formula f)
    {
        var list = new List<Polynomial>();
        f.MapPolynomials(p => { list.Add(p); return p; });
        return list;
    }

    private static string Reason(SmtReply reply) => reply switch
    {
        SmtReply.Unknown u => u.Reason,
        SmtReply.Sat => "the solver's model did not check exactly",
        _ => "unsat",
    };

    private static string Slug(string label) => new(label.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').Take(40).ToArray());
}
