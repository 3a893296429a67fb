using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// Decides lhs == rhs exactly: the difference is put in canonical form; zero everywhere is a proof,
/// otherwise the first non-zero entry and term are reported with a rational point where the
/// difference is non-zero (found by seeded search, confirmed by exact evaluation).
/// </summary>
public static class IdentityChecker
{
    public static CheckOutcome Check(PolyMatrix lhs, PolyMatrix rhs, string where = "")
    {
        var (l, r) = Broadcast(lhs, rhs);
        if (l.Rows * l.Cols == 0)
            return new CheckOutcome(Status.Proved, "exact", $"vacuous{where}: no entries to compare");
        for (int i = 0; i < l.Rows; i++)
            for (int j = 0; j < l.Cols; j++)
            {
                var diff = l[i, j] - r[i, j];
                if (diff.IsZero) continue;
                var (m, c) = diff.OrderedTerms()[0];
                var term = Polynomial.Term(c, m);
                var witness = FindWitness(diff);
                var entry = l.Rows == 1 && l.Cols == 1 ? "" : $" entry ({i + 1},{j + 1})";
                var detail = $"lhs - rhs{entry}{where} is not zero: {diff.TermCount} term(s), first {term}; " +
                             (witness is null ? "no rational witness found in the search (the polynomial is still non-zero)" : witness.ToString());
                return new CheckOutcome(Status.Refuted, "exact", detail, witness);
            }
        return new CheckOutcome(Status.Proved, "exact", $"{l.Rows * l.Cols} entr{(l.Rows * l.Cols == 1 ? "y" : "ies")}{where} equal in normal form");
    }

    private static (PolyMatrix, PolyMatrix) Broadcast(PolyMatrix lhs, PolyMatrix rhs)
    {
        if (lhs.Rows == rhs.Rows && lhs.Cols == rhs.Cols) return (lhs, rhs);
        if (rhs.IsScalar) return (lhs, PolyMatrix.Create(lhs.Rows, lhs.Cols, (_, _) => rhs[0, 0]));
        if (lhs.IsScalar) return (PolyMatrix.Create(rhs.Rows, rhs.Cols, (_, _) => lhs[0, 0]), rhs);
        throw new ShapeMismatchException($"'==' compares a {lhs.Rows}x{lhs.Cols} with a {rhs.Rows}x{rhs.Cols} matrix");
    }

    /// <summary>A rational point where p is non-zero, by seeded search over growing integer boxes; null if none found.</summary>
    public static Witness? FindWitness(Polynomial p, int seed = 20260101)
    {
        if (p.IsZero) return null;
        var vars = p.Variables().OrderBy(v => v).ToArray();
        var random = new Random(seed);
        foreach (var (radius, tries) in new[] { (1, 64), (3, 256), (20, 512), (1000, 512) })
        {
            for (int t = 0; t < tries; t++)
            {
                var point = vars.ToDictionary(v => v, _ => (Rational)random.Next(-radius, radius + 1));
                var value = p.Evaluate(point);
                if (!value.IsZero) return new Witness(vars.Select(v => (v, point[v])).ToList(), value);
            }
        }
        return null;
    }
}
