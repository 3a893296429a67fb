using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Numerics;
using DeepLinearProofs.Networks;
using Xunit;

namespace DeepLinearProofs.Tests.Dynamics;

public class FlowFieldTests
{
    [Theory]
    [InlineData("3,2,1,2,3", "diag(3,2,1)")]
    [InlineData("2,1,2", "[[1,2],[3,-1]]")]
    [InlineData("1,3,2,4", "[[1],[2],[0],[-1]]")]     // k = 0 (scalar input)
    [InlineData("3,2,4,1", "[[1,-2,3]]")]             // k = N (scalar output)
    [InlineData("4,3,1,2,3", "[[1,0,2,0],[0,1,0,1],[2,1,0,0]]")]
    [InlineData("3,2,3", "diag(3,2,1)")]              // no one-neuron layer: dense only
    public void The_numeric_flow_equals_the_symbolically_differentiated_flow_at_a_rational_point(string widths, string target)
    {
        var arch = Architecture.Parse(widths);
        var model = new NetworkModel(arch, Target.Parse(target));
        var z = NumericTarget.Of(arch, Target.Parse(target));
        var layout = new WeightLayout(arch);
        var rng = new Random(11);
        var y = new double[layout.Dimension];
        var point = new Dictionary<Variable, Rational>();
        for (int j = 1; j <= arch.Depth; j++)
            for (int r = 0; r < layout.Rows(j); r++)
                for (int c = 0; c < layout.Cols(j); c++)
                {
                    var value = Rational.Create(rng.Next(-8, 9), 4);
                    y[layout.Index(j, r, c)] = value.ToDouble();
                    point[model.Weight(j)[r, c].Variables().Single()] = value;
                }
        var structures = arch.OneNeuronLayer is null ? new[] { FlowStructure.Dense } : new[] { FlowStructure.Dense, FlowStructure.RankOne };
        foreach (var structure in structures)
        {
            var field = GradientFlow<F64>.Create(arch, z, structure);
            var dy = new F64[layout.Dimension];
            field.Evaluate(y.Select(v => new F64(v)).ToArray(), dy);
            for (int j = 1; j <= arch.Depth; j++)
            {
                var exact = model.Flow(j);
                for (int r = 0; r < layout.Rows(j); r++)
                    for (int c = 0; c < layout.Cols(j); c++)
                    {
                        double want = exact[r, c].Evaluate(point).ToDouble();
                        Assert.True(Math.Abs(dy[layout.Index(j, r, c)].Value - want) <= 1e-12 * (1 + Math.Abs(want)),
                            $"{structure}: dW_{j}[{r},{c}] = {dy[layout.Index(j, r, c)].Value}, exact {want}");
                    }
            }
        }
    }

    [Fact]
    public void The_rank_one_evaluation_costs_far_fewer_flops_than_the_dense_one_on_a_wide_bottleneck()
    {
        var arch = Architecture.Parse("128,64,1,64,128");
        var rows = Enumerable.Range(0, 128).Select(i => Enumerable.Range(0, 128).Select(j => (Rational)((i + 2 * j) % 5 == 0 ? 1 : 0)).ToArray()).ToArray();
        var z = new NumericTarget(MatrixLiteral.FromRows(rows));
        var field = GradientFlow<F64>.Create(arch, z);
        Assert.Equal("rank-one", field.Structure);
        Assert.True(field.FlopsPerEvaluation * 20 < field.DenseFlops, $"{field.FlopsPerEvaluation} vs {field.DenseFlops}");
    }

    [Fact]
    public void Widths_without_a_one_neuron_layer_refuse_the_rank_one_evaluation_with_the_fix()
    {
        var arch = Architecture.Parse("3,2,3");
        var z = NumericTarget.Of(arch, Target.Parse("diag(3,2,1)"));
        var e = Assert.Throws<DeepLinearProofs.Dynamics.Simulation.RequestFieldException>(() => GradientFlow<F64>.Create(arch, z, FlowStructure.RankOne));
        Assert.Equal(DeepLinearProofs.Dynamics.Simulation.RequestField.Structure, e.Field);
        Assert.Contains("use dense", e.Problem);
        // The CLI names the flag: "--structure rank-one needs a one-neuron layer ... use dense".
        var (code, _, err) = DeepLinearProofs.Tests.Cli.DlpRunner.Run("simulate", "--widths", "3,2,3", "--target", "diag(3,2,1)", "--init", "zero", "--structure", "rank-one",
            "--out", Directory.CreateTempSubdirectory("dlp-flow-").FullName, "--plot", "none");
        Assert.Equal(2, code);
        Assert.Contains("--structure rank-one needs a one-neuron layer", err);
    }

    [Fact]
    public void Double_double_arithmetic_carries_about_32_digits()
    {
        var third = DoubleDouble.FromRational(Rational.Create(1, 3));
        var back = third * DoubleDouble.FromDouble(3) - DoubleDouble.One;
        Assert.True(Math.Abs(back.ToDouble()) < 1e-31, back.ToString());
        var two = DoubleDouble.Sqrt(DoubleDouble.FromDouble(2));
        var err = two * two - DoubleDouble.FromDouble(2);
        Assert.True(Math.Abs(err.ToDouble()) < 1e-30, err.ToString());
        // In double the same residual is ~4e-16: double-double must be visibly better.
        Assert.True(Math.Abs(Math.Sqrt(2) * Math.Sqrt(2) - 2) > 1e-17);
    }
}
