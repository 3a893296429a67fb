using DeepLinearProofs.Algebra;
using DeepLinearProofs.Networks;
using Xunit;

namespace DeepLinearProofs.Tests.Networks;

public class NetworkModelTests
{
    private static NetworkModel Model(string widths, string target = "symbolic") => new(Architecture.Parse(widths), Target.Parse(target));

    [Theory]
    [InlineData("2,1,2")]
    [InlineData("3,2,1,2,3")]
    [InlineData("2,2,2,1")]
    [InlineData("1,2,2")]
    public void Flow_by_differentiation_equals_the_T1_closed_form(string widths)
    {
        var m = Model(widths);
        for (int j = 1; j <= m.Depth; j++) Assert.Equal(m.FlowClosedForm(j), m.Flow(j));
    }

    [Fact]
    public void Imbalances_are_conserved_and_a_wrong_quantity_is_not()
    {
        var m = Model("3,2,1,2,3", "diag(3,2,1)");
        for (int j = 1; j < m.Depth; j++) Assert.True(m.Lie(m.Imbalance(j)).IsZero);
        var wrong = m.Weight(2).Transpose() * m.Weight(2) + m.Weight(1) * m.Weight(1).Transpose();
        Assert.False(m.Lie(wrong).IsZero);
    }

    [Fact]
    public void Loss_rate_is_minus_the_squared_gradient_norm()
    {
        var m = Model("2,2,1,2");
        Assert.Equal(m.LossRateClosedForm(), m.Lie(m.Loss));
        Assert.Equal(m.EndToEndFlowClosedForm(), m.Lie(m.EndToEnd));
    }

    [Fact]
    public void Minors_vanish_with_a_one_neuron_layer_and_identity_weights_are_a_countermodel_without_one()
    {
        Assert.True(Model("3,2,1,2,3").EndToEnd.Minors2().IsZero);
        var m = Model("2,2,2");
        var identity = new Dictionary<Variable, Rational>();
        for (int j = 1; j <= 2; j++)
            for (int r = 1; r <= 2; r++)
                for (int c = 1; c <= 2; c++) identity[Variable.Indexed($"W{j}", r, c)] = r == c ? 1 : 0;
        var minor = m.EndToEnd.Minors2()[0, 0];
        Assert.Equal(Rational.One, minor.Evaluate(identity)); // docs/theory.md, T5: W = I gives rank 2
    }

    [Fact]
    public void One_neuron_factors_reproduce_P()
    {
        var m = Model("3,2,1,2,3");
        Assert.Equal(m.EndToEnd, m.OutputFactor * m.InputFactor.Transpose());
        var e = Assert.Throws<NetworkInputException>(() => Model("3,2,3").OutputFactor);
        Assert.Contains("no one-neuron layer", e.Message);
    }

    [Theory]
    [InlineData("3,1", "depth must be at least 2")]
    [InlineData("3,x,3", "not an integer")]
    [InlineData("3,0,3", "out of range")]
    public void Bad_widths_are_explained(string widths, string message) =>
        Assert.Contains(message, Assert.Throws<NetworkInputException>(() => Architecture.Parse(widths)).Message);

    [Theory]
    [InlineData("3,1,2", "diag(3,2,1)", "at most 2")]
    [InlineData("2,1,2", "[[1,2,3],[4,5,6]]", "2x3")]
    [InlineData("2,1,2", "circle(1)", "unknown target")]
    [InlineData("2,1,2", "diag(1,x)", "not an exact number")]
    public void Target_shape_mismatches_are_explained(string widths, string target, string message) =>
        Assert.Contains(message, Assert.Throws<NetworkInputException>(() => Model(widths, target)).Message);

    [Fact]
    public void Data_targets_whiten_exactly_when_sigma_has_a_rational_root()
    {
        var whitened = (DataTarget)Target.Parse("data(X=[[3/5,4/5],[4/5,-3/5]], Y=[[1,1],[2,-1]])");
        Assert.True(whitened.IsWhitened);
        var scaled = (DataTarget)Target.Parse("data(X=[[2,0,0],[0,1,0]], Y=[[1,2,3],[0,-1,1]])");
        Assert.False(scaled.IsWhitened);
        Assert.NotNull(scaled.SqrtSigma);
        var skew = (DataTarget)Target.Parse("data(X=[[2,0,1],[0,1,1]], Y=[[1,2,3],[0,-1,1]])");
        Assert.Null(skew.SqrtSigma);
        var m = new NetworkModel(Architecture.Parse("2,1,2"), skew);
        Assert.Contains("not rational", Assert.Throws<NetworkInputException>(() => m.TargetMatrix).Message);
        Assert.True(m.Lie(m.Imbalance(1)).IsZero); // C_j stays conserved under the data flow
    }

    [Theory]
    [InlineData("2,1,2", DerivationMode.Expanded)]
    [InlineData("3,2,1,2,3", DerivationMode.Expanded)]
    [InlineData("3,2,1,2,3", DerivationMode.Blockwise)]
    [InlineData("4,4,4,1,4,4", DerivationMode.Blockwise)]
    public void Derivation_workload_proves_every_conservation_identity(string widths, DerivationMode mode)
    {
        var arch = Architecture.Parse(widths);
        var report = DerivationWorkload.Run(arch, new SymbolicTarget(), mode);
        Assert.True(report.AllHold);
        int expected = Enumerable.Range(1, arch.Depth - 1).Sum(j => arch.Width(j) * arch.Width(j));
        Assert.Equal(expected, report.ConservationIdentities);
    }

    [Fact]
    public void Block_abstraction_still_refutes_a_non_conserved_quantity()
    {
        var block = new BlockNetwork(Architecture.Parse("3,3,1,3,3"), new SymbolicTarget(), 2, 3);
        var wrong = block.Weight(3).Transpose() * block.Weight(3) + block.Weight(2) * block.Weight(2).Transpose();
        Assert.False(wrong.Map(block.Lie).IsZero);
        Assert.True(block.Imbalance(2).Map(block.Lie).IsZero);
        Assert.Equal(block.FlowClosedForm(2), block.Flow(2));
    }

    [Fact]
    public void Expanded_mode_refuses_losses_too_large_to_expand()
    {
        var e = Assert.Throws<NetworkInputException>(() => DerivationWorkload.Run(Architecture.Parse("4,4,4,4,1,4,4,4,4"), new SymbolicTarget(), DerivationMode.Expanded));
        Assert.Contains("--mode blockwise", e.Message);
    }
}
