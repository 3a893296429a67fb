using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Networks;
using Xunit;

namespace DeepLinearProofs.Tests.Networks;

public class ExactSvdTests
{
    private static ExactSvd Svd(string widths, string target) =>
        Target.Parse(target).ExactSvd(Architecture.Parse(widths)).Decomposition ?? throw new Xunit.Sdk.XunitException("no exact SVD");

    private static Rational R(int n) => Rational.Create(n, 1);

    /// <summary>sum_i s_i u_i v_i^T, to compare with Z.</summary>
    private static Rational[,] Rebuild(ExactSvd d)
    {
        int m = d.Left.Count, n = d.Right.Count;
        var z = new Rational[m, n];
        for (int r = 0; r < m; r++)
            for (int c = 0; c < n; c++)
            {
                var sum = Rational.Zero;
                for (int k = 0; k < d.Values.Count; k++) sum += d.Values[k] * d.Left[k][r] * d.Right[k][c];
                z[r, c] = sum;
            }
        return z;
    }

    private static void AssertOrthonormal(IReadOnlyList<IReadOnlyList<Rational>> basis)
    {
        for (int a = 0; a < basis.Count; a++)
            for (int b = 0; b < basis.Count; b++)
                Assert.Equal(a == b ? Rational.One : Rational.Zero, basis[a].Zip(basis[b], (x, y) => x * y).Aggregate(Rational.Zero, (s, t) => s + t));
    }

    [Theory]
    [InlineData("2,1,2", "diag(2,3)")]
    [InlineData("2,1,2", "diag(-3,2)")]
    [InlineData("3,1,3", "diag(1,3,2)")]
    [InlineData("4,1,3", "diag(-1,0,2)")]
    [InlineData("3,1,3", "diag(2,-2,1)")]
    [InlineData("3,1,2", "[[0,2,0],[-3,0,0]]")]
    [InlineData("3,1,3", "[[0,0,-1],[2,0,0],[0,0,0]]")]
    public void The_exact_SVD_is_sorted_non_negative_orthonormal_and_rebuilds_Z(string widths, string target)
    {
        var arch = Architecture.Parse(widths);
        var d = Svd(widths, target);
        Assert.Equal(Math.Min(arch.Width(0), arch.Width(arch.Depth)), d.Values.Count);
        Assert.All(d.Values, s => Assert.True(s.Sign >= 0));
        for (int k = 1; k < d.Values.Count; k++) Assert.True(d.Values[k - 1] >= d.Values[k]);
        Assert.Equal(arch.Width(arch.Depth), d.Left.Count);
        Assert.Equal(arch.Width(0), d.Right.Count);
        AssertOrthonormal(d.Left);
        AssertOrthonormal(d.Right);
        var z = Target.Parse(target).Matrix(arch);
        var rebuilt = Rebuild(d);
        for (int r = 0; r < z.Rows; r++)
            for (int c = 0; c < z.Cols; c++) Assert.Equal(z[r, c].ConstantTerm, rebuilt[r, c]);
    }

    [Fact]
    public void Signs_go_into_u_and_the_order_into_both_with_a_note()
    {
        var d = Svd("2,1,2", "diag(2,-3)");
        Assert.Equal([R(3), R(2)], d.Values);
        Assert.Equal([R(0), R(-1)], d.Left[0]);
        Assert.Equal([R(0), R(1)], d.Right[0]);
        Assert.Equal([R(1), R(0)], d.Left[1]);
        Assert.Equal("diag(2,-3) read as s = (3, 2): u_1 = -e_2, v_1 = e_2, u_2 = e_1, v_2 = e_1", d.Note);
        Assert.Null(Svd("3,1,3", "diag(3,2,1)").Note);
        Assert.Null(Svd("3,1,3", "diag(3,2)").Note);
    }

    [Fact]
    public void Ties_keep_the_listed_order_and_the_note_says_the_vectors_are_one_choice()
    {
        var d = Svd("3,1,3", "diag(1,3,3)");
        Assert.Equal([R(3), R(3), R(1)], d.Values);
        Assert.Equal(R(1), d.Right[0][1]); // the first listed 3 comes first
        Assert.Equal(R(1), d.Right[1][2]);
        Assert.Contains("3 repeats, so these u_i, v_i are one valid choice", d.Note);
        Assert.Contains("repeats", Svd("3,1,3", "diag(3,3,1)").Note);
    }

    [Theory]
    [InlineData("2,1,2", "[[1,1],[0,1]]", "has a second non-zero entry in row 1")]
    [InlineData("2,1,2", "[[1,0],[2,0]]", "has a second non-zero entry in column 1")]
    [InlineData("2,1,2", "symbolic", "the target is symbolic")]
    [InlineData("2,1,2", "data(X=[[1,0],[0,1]], Y=[[1,0],[0,1]])", "not computed for data targets")]
    public void Other_targets_are_refused_in_one_line_that_says_what_to_write(string widths, string target, string why)
    {
        var r = Target.Parse(target).ExactSvd(Architecture.Parse(widths));
        Assert.Null(r.Decomposition);
        Assert.Contains(why, r.Unavailable);
        Assert.Contains("write the target as diag(...) or as a signed permutation matrix", r.Unavailable);
        Assert.DoesNotContain('\n', r.Unavailable!);
    }

    [Theory]
    [InlineData("2,1,2", "diag(2,3)")]
    [InlineData("2,1,2", "diag(-3,2)")]
    [InlineData("3,1,3", "diag(1,3,2)")]
    [InlineData("3,1,3", "[[0,0,-1],[2,0,0],[0,3,0]]")]
    [InlineData("3,1,2", "[[0,2,0],[-3,0,0]]")]
    public void The_numeric_target_agrees_with_the_exact_SVD(string widths, string target)
    {
        var arch = Architecture.Parse(widths);
        var exact = Svd(widths, target);
        var numeric = NumericTarget.Of(arch, Target.Parse(target));
        Assert.Equal(exact.Values.Count, numeric.Singular.Length);
        for (int k = 0; k < exact.Values.Count; k++)
        {
            Assert.Equal(exact.Values[k].ToDouble(), numeric.Singular[k], 12);
            // Each s_k u_k v_k^T (the singular values here are distinct, so the term is unique up to nothing: signs cancel).
            for (int r = 0; r < numeric.Rows; r++)
                for (int c = 0; c < numeric.Cols; c++)
                    Assert.Equal((exact.Values[k] * exact.Left[k][r] * exact.Right[k][c]).ToDouble(), numeric.Singular[k] * numeric.U[r, k] * numeric.V[c, k], 12);
        }
        if (numeric.IsDiagonal)
            for (int k = 0; k < exact.Left.Count; k++)
                for (int r = 0; r < numeric.Rows; r++) Assert.Equal(exact.Left[k][r].ToDouble(), numeric.U[r, k]);
    }
}
