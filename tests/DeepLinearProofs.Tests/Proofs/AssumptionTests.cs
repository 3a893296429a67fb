using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Smt;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Proofs;

public class AssumptionTests
{
    private static string Library(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "proofs", .. parts]);

    [Z3Fact]
    public void Dropping_the_gap_breaks_uniqueness_in_T6_with_a_countermodel()
    {
        var lemma = LemmaLoader.Load(Library("landscape", "t6-unique-minimiser.toml"));
        lemma = lemma with { Networks = [lemma.Networks[0]] }; // widths 3,1,3 keep the test fast
        var r = AssumptionCheck.Run(lemma, new Modification(["gap"], []), CheckOptions.Default());
        Assert.True(r.OriginalHolds);
        Assert.True(r.Breaks);
        Assert.Contains("diag(3,2,1) -> diag(3,3,1)", Assert.Single(r.Changes));
        var refuted = Assert.Single(r.Modified);
        Assert.Equal(Status.Refuted, refuted.Outcome.Status);
        Assert.Contains("checked exactly against the statement as written", refuted.Outcome.Detail);
    }

    [Fact]
    public void Widths_without_a_one_neuron_layer_break_T5()
    {
        var lemma = LemmaLoader.Load(Library("landscape", "t5-rank-one.toml"));
        var r = AssumptionCheck.Run(lemma, new Modification(["one-neuron"], []), CheckOptions.Default());
        Assert.True(r.Breaks);
        Assert.Contains(r.Modified, m => m.Outcome.Status == Status.Refuted && m.Outcome.Witness is not null);
        var other = AssumptionCheck.Run(lemma, new Modification([], [], DeepLinearProofs.Networks.Architecture.Parse("2,2,2")), CheckOptions.Default());
        Assert.True(other.Breaks);
    }

    [Z3Fact]
    public void Dropping_balance_breaks_the_balanced_convergence_rule_as_E4_shows()
    {
        var lemma = LemmaLoader.Load(Library("two-layer", "t14-balanced-rule-needs-balance.toml"));
        var r = AssumptionCheck.Run(lemma, new Modification(["balance"], []), CheckOptions.Default());
        Assert.True(r.OriginalHolds);
        Assert.True(r.Breaks);
        Assert.Contains("dropped hypothesis balance: c == 0", r.Changes);
        Assert.Equal(Status.Refuted, Assert.Single(r.Modified).Outcome.Status);
    }

    [Fact]
    public void A_modification_that_does_not_apply_is_said_so()
    {
        var lemma = LemmaLoader.Load(Library("flow", "t3-conservation.toml"));
        Assert.Null(AssumptionCheck.Apply(lemma, new Modification(["balance"], [])));
        Assert.Throws<LemmaFileException>(() => AssumptionCheck.Run(lemma, new Modification(["balance"], []), CheckOptions.Default()));
    }
}
