using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// What an evaluation shares: let-definitions, side conditions introduced by sqrt (auxiliary
/// variables r with r >= 0 and r^2 = radicand), and the rank-one reduction (P = a b^T with fresh a, b).
/// </summary>
public sealed class ClaimScope
{
    private int _nextAuxiliary;

    public Dictionary<string, PolyMatrix> Definitions { get; } = new(StringComparer.Ordinal);
    public List<(string Comment, Formula Formula)> SideConditions { get; } = [];
    public Dictionary<Variable, Polynomial> AuxiliaryRadicands { get; } = [];

    /// <summary>Set by the rank-one reduction: the columns a (d_N x 1) and b (d_0 x 1) with P = a b^T.</summary>
    public (PolyMatrix A, PolyMatrix B)? RankOne { get; init; }

    /// <summary>A fresh variable for sqrt(radicand), with its defining side conditions.</summary>
    public Polynomial SquareRoot(Polynomial radicand)
    {
        var r = Variable.Of($"sqrt{++_nextAuxiliary}");
        var rp = Polynomial.Var(r);
        SideConditions.Add(($"auxiliary {r.Name} = sqrt({radicand}): {r.Name} >= 0", Formula.Atom(rp, Relation.Ge)));
        SideConditions.Add(($"auxiliary {r.Name} = sqrt({radicand}): {r.Name}^2 = radicand", Formula.Atom(rp * rp - radicand, Relation.Eq)));
        AuxiliaryRadicands[r] = radicand;
        return rp;
    }
}
