using DeepLinearProofs.Algebra;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// <c>invariant</c> and <c>disjoint</c>: the certificate of THEORY section 6 for a set
/// S = {equations = 0} ∩ {h >= 0}: (b) invariance under the gradient flow, (c) S contains no point
/// satisfying <c>excludes</c> (e.g. a global minimiser; SMT), (d) the exact start of [claim.point] lies in S.
/// <c>disjoint</c> checks (c) alone.
/// </summary>
public static class InvariantMethod
{
    public static CheckOutcome Check(Claim claim, NetworkModel model, SmtSession smt, ref int line)
    {
        var ev = new ClaimEvaluator(model, new Dictionary<string, int>());
        LemmaChecker.Define(claim, ev, ref line);
        var equations = new List<(string, Polynomial)>();
        foreach (var e in claim.Equations)
        {
            line = e.Line;
            var m = ev.Evaluate(e.Expression);
            for (int i = 0; i < m.Rows; i++)
                for (int j = 0; j < m.Cols; j++)
                    if (!m[i, j].IsZero) equations.Add((m.IsScalar ? e.Text : $"({e.Text})[{i + 1},{j + 1}]", m[i, j]));
        }
        var inequalities = new List<(InequalitySpec Spec, Polynomial H)>();
        foreach (var q in claim.Inequalities)
        {
            line = q.Line;
            var h = ev.Evaluate(q.Expression.Expression);
            if (!h.IsScalar) throw new ClaimException($"inequality '{q.Expression.Text}' must be a scalar (it means {q.Expression.Text} >= 0)", q.Expression.Expression.Position);
            inequalities.Add((q, h[0, 0]));
        }

        var certifier = new InvarianceCertifier(model.Lie, smt, ev.Scope.SideConditions);
        if (claim.Method == "invariant")
        {
            certifier.Equations(equations);
            foreach (var (spec, h) in inequalities)
            {
                line = spec.Line;
                if (spec.Lambda is { } lambda)
                {
                    var l = ev.Evaluate(lambda.Expression);
                    if (!l.IsScalar) throw new ClaimException("lambda must be a scalar", lambda.Expression.Position);
                    certifier.Barrier(spec.Expression.Text, h, l[0, 0], equations);
                }
                else
                {
                    var boundary = new List<(string, Polynomial)>();
                    foreach (var k in spec.Boundary)
                    {
                        var km = ev.Evaluate(k.Expression);
                        foreach (var p in km.Entries()) if (!p.IsZero) boundary.Add((k.Text, p));
                    }
                    certifier.Boundary(spec.Expression.Text, h, boundary, equations);
                }
            }
        }

        var setAssertions = equations.Select(e => new Assertion($"in S: {e.Item1} = 0", Formula.Atom(e.Item2, Relation.Eq)))
            .Concat(inequalities.Select(q => new Assertion($"in S: {q.Spec.Expression.Text} >= 0", Formula.Atom(q.H, Relation.Ge))))
            .Concat(ev.Scope.SideConditions.Select(s => new Assertion(s.Comment, s.Formula))).ToList();
        if (claim.Excludes is { } excludes)
        {
            line = excludes.Line;
            var bad = ev.EvaluateFormula(excludes.Expression);
            var v = smt.Unsat("disjoint", setAssertions.Append(new Assertion($"excluded: {excludes.Text}", bad)).ToList(), []);
            certifier.Parts.Add(new CertificatePart($"S contains no point with {excludes.Text}",
                v.Status switch { SmtStatus.Proved => Status.Proved, SmtStatus.Refuted => Status.Refuted, _ => Status.Unknown },
                v.Status == SmtStatus.Proved ? v.Basis : v.Detail));
        }
        if (claim.Point.Count > 0)
        {
            var point = MembershipMethod.PointValues(claim, model);
            var inS = Formula.And(setAssertions.Select(a => a.Formula));
            var m = MembershipMethod.Decide(inS, ev.Scope, point, smt, "the start lies in S", "the start is NOT in S");
            certifier.Parts.Add(new CertificatePart("the exact start lies in S", m.Status, m.Detail));
        }

        var basis = smt.Basis(certifier.UsedExact || claim.Point.Count > 0);
        var summary = string.Join("; ", certifier.Parts.Select(p => $"{p.What}: {p.Status.ToString().ToLowerInvariant()} ({p.How})"));
        if (certifier.Parts.FirstOrDefault(p => p.Status == Status.Refuted) is { } refuted)
            return new CheckOutcome(Status.Refuted, basis, $"{refuted.What} is false: {refuted.How}");
        if (certifier.Parts.Any(p => p.Status != Status.Proved)) return new CheckOutcome(Status.Unknown, basis, summary);
        return new CheckOutcome(Status.Proved, basis, summary);
    }
}
