using DeepLinearProofs.Algebra;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// <c>membership</c>: is the exact initialisation of [claim.point] in the set the formula defines?
/// Proved = inside, refuted = outside. Exact evaluation when no square root stays irrational; SMT otherwise.
/// </summary>
public static class MembershipMethod
{
    public static CheckOutcome Check(Claim claim, NetworkModel model, SmtSession smt, ref int line)
    {
        var ev = new ClaimEvaluator(model, new Dictionary<string, int>());
        LemmaChecker.Define(claim, ev, ref line);
        line = claim.Line;
        var formula = ev.EvaluateFormula(claim.Expression);
        var point = PointValues(claim, model);
        return Decide(formula, ev.Scope, point, smt, "the point satisfies the set's conditions", "the point is outside the set");
    }

    /// <summary>The weight variables' values from [claim.point]; every layer must be given with its shape.</summary>
    public static Dictionary<Variable, Polynomial> PointValues(Claim claim, NetworkModel model)
    {
        var values = new Dictionary<Variable, Polynomial>();
        foreach (var (name, matrix) in claim.Point)
        {
            if (!name.StartsWith('W') || !int.TryParse(name[1..], out int j) || j < 1 || j > model.Depth)
                throw new ClaimException($"[claim.point] key '{name}' is not a layer: use W1..W{model.Depth}", 0);
            var w = model.Weight(j);
            if (matrix.GetLength(0) != w.Rows || matrix.GetLength(1) != w.Cols)
                throw new ClaimException($"[claim.point] {name} is {matrix.GetLength(0)}x{matrix.GetLength(1)} but W{j} is {w.Rows}x{w.Cols} for these widths", 0);
            for (int r = 0; r < w.Rows; r++)
                for (int c = 0; c < w.Cols; c++) values[w[r, c].Variables().Single()] = Polynomial.Constant(matrix[r, c]);
        }
        return values;
    }

    /// <summary>Decides a formula at a point: exactly when every variable is fixed (square roots resolved when rational), else by SMT.</summary>
    public static CheckOutcome Decide(Formula formula, ClaimScope scope, Dictionary<Variable, Polynomial> point, SmtSession smt, string inside, string outside)
    {
        var substituted = formula.MapPolynomials(p => p.Substitute(point));
        var sides = scope.SideConditions.Select(s => (s.Comment, Formula: s.Formula.MapPolynomials(p => p.Substitute(point)))).ToList();
        // Resolve auxiliary square roots whose radicand became a rational square.
        var roots = new Dictionary<Variable, Polynomial>();
        foreach (var (aux, radicand) in scope.AuxiliaryRadicands)
        {
            var r = radicand.Substitute(point);
            if (r.IsConstant && r.ConstantTerm.Sign < 0)
                throw new ClaimException($"sqrt({radicand}) is the square root of the negative number {r.ConstantTerm} at this point", 0);
            if (r.IsConstant && r.ConstantTerm.TrySqrt() is { } root) roots[aux] = Polynomial.Constant(root);
        }
        if (roots.Count > 0)
        {
            substituted = substituted.MapPolynomials(p => p.Substitute(roots));
            sides = sides.Select(s => (s.Comment, s.Formula.MapPolynomials(p => p.Substitute(roots)))).ToList();
        }
        var free = substituted.Variables().Concat(sides.SelectMany(s => s.Formula.Variables())).Distinct().ToList();
        var missing = free.Where(v => !v.Name.StartsWith("sqrt", StringComparison.Ordinal)).ToList();
        if (missing.Count > 0)
            throw new ClaimException($"[claim.point] does not fix {string.Join(", ", missing.Take(5).Select(v => v.Name))}: give every layer (and use a concrete target)", 0);
        if (free.Count == 0)
        {
            bool holds = substituted.Holds(_ => Rational.Zero);
            return new CheckOutcome(holds ? Status.Proved : Status.Refuted, "exact", holds ? $"{inside} (exact)" : $"{outside} (exact)");
        }
        var sideAssertions = sides.Select(s => new Assertion(s.Comment, s.Formula)).ToList();
        var inVerdict = smt.Unsat("membership-inside", sideAssertions.Append(new Assertion("the point violates the conditions", Formula.Not(substituted))).ToList(), []);
        if (inVerdict.Status == SmtStatus.Proved) return new CheckOutcome(Status.Proved, smt.Basis(false), $"{inside} ({inVerdict.Basis})");
        var outVerdict = smt.Unsat("membership-outside", sideAssertions.Append(new Assertion("the point satisfies the conditions", substituted)).ToList(), []);
        if (outVerdict.Status == SmtStatus.Proved) return new CheckOutcome(Status.Refuted, smt.Basis(false), $"{outside} ({outVerdict.Basis})");
        return new CheckOutcome(Status.Unknown, smt.Basis(false), $"undecided: {inVerdict.Detail}; {outVerdict.Detail}");
    }
}
