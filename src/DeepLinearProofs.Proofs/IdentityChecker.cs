using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// Untrusted preparation of an identity for the kernel: lhs == rhs entrywise (a scalar side is broadcast), and a rational
/// point where the first non-zero difference is non-zero (seeded search), which the kernel re-evaluates.
/// </summary>
public static class IdentityChecker
{
    public static IReadOnlyList<Equation> Equations(PolyMatrix lhs, PolyMatrix rhs, string where)
    {
        var (l, r) = Broadcast(lhs, rhs);
        var list = new List<Equation>();
        for (int i = 0; i < l.Rows; i++)
            for (int j = 0; j < l.Cols; j++)
                list.Add(new Equation(l.Rows == 1 && l.Cols == 1 ? $"lhs - rhs{where}" : $"lhs - rhs entry ({i + 1},{j + 1}){where}", l[i, j], r[i, j]));
        return list;
    }

    /// <summary>A point for the first equation whose sides differ as polynomials (nothing when they all agree or none is found).</summary>
    public static IReadOnlyList<Assignment> Witness(IReadOnlyList<Equation> equations)
    {
        var first = equations.Select(e => e.Lhs - e.Rhs).FirstOrDefault(d => !d.IsZero);
        return first is null ? [] : FindWitness(first) ?? [];
    }

    private static (PolyMatrix, PolyMatrix) Broadcast(PolyMatrix lhs, PolyMatrix rhs)
    {
        if (lhs.Rows == rhs.Rows && lhs.Cols == rhs.Cols) return (lhs, rhs);
        if (rhs.IsScalar) return (lhs, PolyMatrix.Create(lhs.Rows, lhs.Cols, (_, _) => rhs[0, 0]));
        if (lhs.IsScalar) return (PolyMatrix.Create(rhs.Rows, rhs.Cols, (_, _) => lhs[0, 0]), rhs);
        throw new ShapeMismatchException($"'==' compares a {lhs.Rows}x{lhs.Cols} with a {rhs.Rows}x{rhs.Cols} matrix");
    }

    /// <summary>A rational point where p is non-zero, by seeded search over growing integer boxes; null if none found.</summary>
    public static IReadOnlyList<Assignment>? FindWitness(Polynomial p, int seed = 20260101)
    {
        if (p.IsZero) return null;
        var vars = p.Variables().OrderBy(v => v).ToArray();
        var random = new Random(seed);
        foreach (var (radius, tries) in new[] { (1, 64), (3, 256), (20, 512), (1000, 512) })
        {
            for (int t = 0; t < tries; t++)
            {
                var point = vars.ToDictionary(v => v, _ => (Rational)random.Next(-radius, radius + 1));
                if (!p.Evaluate(point).IsZero) return vars.Select(v => new Assignment(v, point[v])).ToList();
            }
        }
        return null;
    }
}
