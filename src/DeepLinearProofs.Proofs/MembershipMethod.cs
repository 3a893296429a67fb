using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary><c>membership</c>: the set's formula and the exact point, for the kernel (proved = inside, refuted = outside).</summary>
public static class MembershipMethod
{
    public static MembershipStatement Statement(MembershipClaim claim, NetworkModel model, ClaimEvaluator ev)
    {
        var formula = ClaimException.At(claim.Line, () => ev.EvaluateFormula(claim.Expression));
        return new MembershipStatement(new Labeled(claim.Text, formula), ev.Scope.Roots, PointValues(claim, model));
    }

    /// <summary>The weight variables' values from the claim's point; every layer given must have its shape.</summary>
    public static IReadOnlyList<Assignment> PointValues(Claim claim, NetworkModel model)
    {
        var values = new List<Assignment>();
        foreach (var (name, matrix) in claim.Point)
        {
            int j = System.Text.RegularExpressions.Regex.IsMatch(name, "^W[1-9][0-9]{0,3}$") ? int.Parse(name[1..], System.Globalization.CultureInfo.InvariantCulture) : 0;
            if (j < 1 || j > model.Depth)
                throw new ClaimException($"point key '{name}' is not a layer: write W1..W{model.Depth}", 0);
            var w = model.Weight(j);
            if (matrix.GetLength(0) != w.Rows || matrix.GetLength(1) != w.Cols)
                throw new ClaimException($"[claim.point] {name} is {matrix.GetLength(0)}x{matrix.GetLength(1)} but W{j} is {w.Rows}x{w.Cols} for these widths", 0);
            for (int r = 0; r < w.Rows; r++)
                for (int c = 0; c < w.Cols; c++) values.Add(new Assignment(w[r, c].Variables().Single(), matrix[r, c]));
        }
        return values;
    }
}
