using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Smt;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Proofs;

/// <summary>assumes = [...] (the standing assumptions as declared meaning) and the transformations of dlp check --drop / --depth / --widths.</summary>
public class DeclaredAssumptionTests
{
    private static string Library(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "proofs", .. parts]);

    // E2's balanced start on 3,2,1,3: W_j = rho w_j w_{j-1}^T, rho = 1/2, P = (1/8) e_2 e_2^T.
    private const string E2Point = "[network.point]\nW1 = [[0, \"3/10\", 0], [0, \"2/5\", 0]]\nW2 = [[\"3/10\", \"2/5\"]]\nW3 = [[0], [\"1/2\"], [0]]\n";

    private static Lemma Membership(string expr, string extraTop = "") => LemmaLoader.Parse(
        $"id = \"m\"\ntheory = \"T3\"\n{extraTop}[[network]]\nwidths = [3, 2, 1, 3]\ntarget = \"diag(3,2,1)\"\n{E2Point}[claim]\nmethod = \"membership\"\nexpr = \"{expr}\"\n", "m.toml");

    private static Rational[,] Product(IReadOnlyDictionary<string, Rational[,]> point, int depth)
    {
        var p = point["W1"];
        for (int j = 2; j <= depth; j++)
        {
            var w = point[$"W{j}"];
            var m = new Rational[w.GetLength(0), p.GetLength(1)];
            for (int r = 0; r < m.GetLength(0); r++)
                for (int c = 0; c < m.GetLength(1); c++)
                {
                    Rational s = Rational.Zero;
                    for (int i = 0; i < w.GetLength(1); i++) s += w[r, i] * p[i, c];
                    m[r, c] = s;
                }
            p = m;
        }
        return p;
    }

    [Fact]
    public void The_start_W_0_stays_W_0_at_another_depth_so_E1_survives_depth_4()
    {
        // Inserting e_1 e_1^T layers would keep P = 0 but leave E1's set {W_j = 0}: a break of the transformation, not of E1.
        var lemma = LemmaLoader.Load(Library("examples", "e1-origin-equilibrium.toml"));
        var t = AssumptionCheck.Apply(lemma, new Modification([], [], Depth: 4))!;
        Assert.Null(t.Cannot);
        Assert.All(t.Lemma.Networks, n =>
        {
            Assert.Equal(4, n.Architecture.Depth);
            Assert.All(n.Point.Values, w => Assert.All(w.Cast<Rational>(), e => Assert.True(e.IsZero)));
        });
        var r = AssumptionCheck.Run(lemma, new Modification([], [], Depth: 4), CheckOptions.Default(), simulate: false);
        Assert.True(r.Survives, string.Join("; ", r.Modified.Where(m => !m.AsExpected).Select(m => m.Outcome.Detail)));
    }

    [Fact]
    public void Lstar_is_the_minimum_loss_of_the_widths_so_no_point_lies_below_it()
    {
        // 3,2,3 has no one-neuron layer: P = diag(3,2,0) is reachable and has L = 1/2, so L* is 1/2 there, not 5/2 (E6).
        // A claim that a point lies below the global minimum must not be proved.
        const string point = "[network.point]\nW1 = [[1, 0, 0], [0, 1, 0]]\nW2 = [[3, 0], [0, 2], [0, 0]]\n";
        LemmaResult At(string expr, string widths = "3, 2, 3", string pt = point) => Assert.Single(LemmaChecker.Check(LemmaLoader.Parse(
            $"id = \"lstar\"\n[[network]]\nwidths = [{widths}]\ntarget = \"diag(3,2,1)\"\n{pt}[claim]\nmethod = \"membership\"\nexpr = \"{expr}\"\n", "lstar.toml")));
        Assert.Equal(Status.Refuted, At("L < Lstar").Outcome.Status);
        Assert.Equal(Status.Proved, At("L == Lstar and Lstar == 1/2").Outcome.Status);
        // With a one-neuron layer the rank is 1: L* = 1/2 (4 + 1), attained at 3 e_1 e_1^T.
        Assert.Equal(Status.Proved, At("L == Lstar and Lstar == 5/2", "3, 1, 3", "[network.point]\nW1 = [[1, 0, 0]]\nW2 = [[3], [0], [0]]\n").Outcome.Status);
    }

    [Fact]
    public void An_unknown_assumption_is_a_one_line_error_naming_the_file_and_the_valid_names()
    {
        var e = Assert.Throws<LemmaFileException>(() => Membership("norm2(P) > 0", "assumes = [\"gap\", \"convexity\"]\n"));
        Assert.Equal("m.toml", e.Path);
        Assert.Equal(3, e.Line);
        Assert.Contains("'convexity'", e.Message);
        foreach (var name in Assumptions.Names) Assert.Contains(name, e.Message);
        Assert.DoesNotContain("\n", e.OneLine);
    }

    [Fact]
    public void Defaults_follow_the_networks_and_starts_and_a_declaration_replaces_them()
    {
        var silent = Membership("norm2(P) > 0");
        Assert.Null(silent.Assumes);
        Assert.Equal([Assumption.Gap, Assumption.Balance, Assumption.OneNeuron], Assumptions.Of(silent).Order());
        var declared = Membership("norm2(P) > 0", "assumes = [\"one-neuron\"]\n");
        Assert.Equal([Assumption.OneNeuron], Assumptions.Of(declared));
        Assert.True(declared.RequiresOneNeuron);
        Assert.Contains(Assumption.Whitened, Assumptions.Of(LemmaLoader.Load(Library("data", "t0-whitened.toml"))));
        Assert.DoesNotContain(Assumption.Whitened, Assumptions.Of(LemmaLoader.Load(Library("data", "t0-not-whitened.toml"))));
        Assert.DoesNotContain(Assumption.Gap, Assumptions.Of(LemmaLoader.Load(Library("landscape", "t6-no-gap.toml"))));
        Assert.Contains(Assumption.Balance, Assumptions.Of(LemmaLoader.Load(Library("examples", "e2-simulation.toml"))));
        Assert.DoesNotContain(Assumption.Balance, Assumptions.Of(LemmaLoader.Load(Library("examples", "e2-p1-zero-balanced.toml"))));
    }

    [Fact]
    public void A_start_made_unbalanced_does_not_keep_proved_for_a_balanced_only_claim()
    {
        // False after the change: the claim "the start is balanced" must be refuted at the unbalanced start, never proved.
        var lemma = Membership("all(j, 1, N-1, C[j] == 0)");
        var r = AssumptionCheck.Run(lemma, new Modification(["balance"], []), CheckOptions.Default(), simulate: false);
        Assert.Equal(Status.Proved, Assert.Single(r.Original).Outcome.Status);
        Assert.Equal(Status.Refuted, Assert.Single(r.Modified).Outcome.Status);
        Assert.True(r.Breaks);
        Assert.Contains(r.Changes, c => c.Contains("W3 := W3 / 2"));
        // The support set of the start is kept (the zero pattern of every layer).
        var t = AssumptionCheck.Apply(lemma, new Modification(["balance"], []))!;
        var w3 = t.Lemma.Networks[0].Point["W3"];
        Assert.True(w3[0, 0].IsZero && w3[2, 0].IsZero && w3[1, 0] == Rational.Create(1, 4));
    }

    [Fact]
    public void Dropping_one_neuron_pads_the_exact_start_so_P_is_unchanged_and_it_is_checked()
    {
        var lemma = LemmaLoader.Load(Library("examples", "e2-p1-zero-balanced.toml"));
        var t = AssumptionCheck.Apply(lemma, new Modification(["one-neuron"], []))!;
        Assert.Null(t.Cannot);
        for (int i = 0; i < lemma.Networks.Count; i++)
        {
            var before = lemma.Networks[i];
            var after = t.Lemma.Networks[i];
            Assert.Null(after.Architecture.OneNeuronLayer);
            Assert.Equal(Product(before.Point, before.Architecture.Depth), Product(after.Point, after.Architecture.Depth));
        }
        Assert.DoesNotContain(t.Changes, c => c.StartsWith(AssumptionCheck.StartDropped, StringComparison.Ordinal));
        // A false claim after widening: P of the padded start still has rank one, but its layers do not (W2 is 2x2 with one
        // non-zero row, so this one is still true), and "the layer k has width 1" must not be proved.
        var membership = Membership("d[2] == 1");
        var r = AssumptionCheck.Run(membership, new Modification(["one-neuron"], []), CheckOptions.Default(), simulate: false);
        Assert.Equal(Status.Proved, Assert.Single(r.Original).Outcome.Status);
        Assert.Equal(Status.Refuted, Assert.Single(r.Modified).Outcome.Status);
        // P itself is unchanged, so a claim about P survives.
        var p = AssumptionCheck.Run(Membership("P == 1/8 * u[2] * T(v[2])"), new Modification(["one-neuron"], []), CheckOptions.Default(), simulate: false);
        Assert.True(p.Survives, string.Join("; ", p.Modified.Select(x => x.Outcome.Detail)));
    }

    [Fact]
    public void Dropping_whitened_data_breaks_the_whitened_flow_identity()
    {
        var lemma = LemmaLoader.Load(Library("data", "t0-whitened.toml"));
        lemma = lemma with { Networks = [lemma.Networks[0]] };
        var r = AssumptionCheck.Run(lemma, new Modification(["whitened"], []), CheckOptions.Default(), simulate: false);
        Assert.True(r.OriginalHolds);
        Assert.True(r.Breaks);
        Assert.Equal(Status.Refuted, Assert.Single(r.Modified).Outcome.Status);
    }

    [Fact]
    public void A_lemma_that_assumes_something_the_drop_cannot_change_says_so_in_one_line()
    {
        var lemma = Membership("norm2(P) > 0", "assumes = [\"whitened\"]\n");
        var t = AssumptionCheck.Apply(lemma, new Modification(["whitened"], []))!;
        Assert.NotNull(t.Cannot);
        Assert.DoesNotContain("\n", t.Cannot);
        var r = AssumptionCheck.Run(lemma, new Modification(["whitened"], []), CheckOptions.Default());
        Assert.NotNull(r.CannotTransform);
        Assert.False(r.Survives);
        Assert.Empty(r.Modified);
    }

    [Fact]
    public void A_lemma_declaring_no_gap_is_still_rerun_when_its_target_changes_and_the_break_names_the_wrong_declaration()
    {
        // The claim depends on the gap (P = s_1 u_1 v_1^T at the minimiser is false at diag(3,3,1) for 3 e_2 e_2^T) but declares assumes = [].
        var lemma = LemmaLoader.Parse("id = \"liar\"\nassumes = []\n[[network]]\nwidths = [3, 1, 3]\ntarget = \"diag(3,2,1)\"\n" +
            "[network.point]\nW1 = [[0, 1, 0]]\nW2 = [[0], [3], [0]]\n[claim]\nmethod = \"membership\"\nexpr = \"not (L <= Lstar) or P == s[1] * u[1] * T(v[1])\"\n", "liar.toml");
        Assert.Empty(Assumptions.Of(lemma));
        var r = AssumptionCheck.Run(lemma, new Modification(["gap"], []), CheckOptions.Default(), simulate: false);
        Assert.Equal(["gap"], r.Undeclared);
        Assert.True(r.Breaks, string.Join("; ", r.Modified.Select(x => $"{x.Outcome.Status}: {x.Outcome.Detail}")));
    }

    [Fact]
    public void E3_is_re_instantiated_at_depth_4_with_a_balanced_start_and_hard_coded_indices_are_refused()
    {
        var lemma = LemmaLoader.Load(Library("examples", "e3-origin-balanced.toml"));
        var t = AssumptionCheck.Apply(lemma, new Modification([], [], Depth: 4))!;
        Assert.Null(t.Cannot);
        // The file's networks (N = 2..4, every position) all become depth-4 networks, each with its start carried over.
        Assert.Contains(t.Lemma.Networks, n => n.Architecture.ToString() == "3,2,1,2,3");
        Assert.All(t.Lemma.Networks, n =>
        {
            Assert.Equal(4, n.Architecture.Depth);
            Assert.True(Assumptions.IsBalancedPoint(n.Point, n.Architecture));
            Assert.True(Product(n.Point, 4)[0, 0] < Rational.Zero); // P_11 < 0: the start is in S
        });
        var fixedIndex = LemmaLoader.Parse("id = \"fixed\"\n[[network]]\nwidths = [3, 2, 1, 3]\ntarget = \"diag(3,2,1)\"\n" +
            "[claim]\nmethod = \"invariant\"\nequations = [\"C[1]\", \"C[2]\"]\n", "fixed.toml");
        var refused = AssumptionCheck.Apply(fixedIndex, new Modification([], [], Depth: 4))!;
        Assert.Contains("C[1]", refused.Cannot);
        Assert.Contains("loop", refused.Cannot);
        Assert.Equal("3,1,3", AssumptionCheck.AtDepth(Architecture.Parse("3,2,1,3"), 2).ToString());
        Assert.Equal("3,1,2,2,3", AssumptionCheck.AtDepth(Architecture.Parse("3,1,2,3"), 4).ToString());
    }

    [Fact]
    public void Dropping_depth_at_least_3_states_the_all_sizes_claim_from_depth_2()
    {
        var lemma = LemmaLoader.Load(Library("all-sizes", "t9-end-layers.toml"));
        Assert.Contains(Assumption.DepthAtLeast3, Assumptions.Of(lemma));
        var t = AssumptionCheck.Apply(lemma, new Modification(["depth>=3"], []))!;
        Assert.Null(t.Cannot);
        Assert.Equal(2, t.Lemma.AllSizes!.MinDepth);
        var r = AssumptionCheck.Run(lemma, new Modification(["depth>=3"], []), CheckOptions.Default());
        Assert.False(r.Survives, "the end-layer ansatz needs a block between W_1 and W_N");
    }

    [Fact]
    public void T7_at_other_widths_takes_the_target_that_fits_or_says_none_does()
    {
        var lemma = LemmaLoader.Load(Library("landscape", "t7-critical-points.toml"));
        var fits = AssumptionCheck.Apply(lemma, new Modification([], [], Architecture.Parse("3,2,1,3")))!;
        Assert.Null(fits.Cannot);
        Assert.Equal("diag(3,2,1)", Assert.Single(fits.Lemma.Networks).Target.Describe());
        var none = AssumptionCheck.Apply(lemma, new Modification([], [], Architecture.Parse("4,1,4")))!;
        Assert.Contains("no target fits", none.Cannot);
        Assert.Contains("--target", none.Cannot);
    }

    [Z3Fact]
    public void E2_under_no_gap_breaks_the_loss_floor_and_the_countermodel_is_simulated()
    {
        var lemma = LemmaLoader.Load(Library("examples", "e2-loss-floor.toml"));
        var r = AssumptionCheck.Run(lemma, new Modification(["gap"], []), CheckOptions.Default());
        Assert.True(r.OriginalHolds, string.Join("; ", r.Original.Select(x => x.Outcome.Detail)));
        Assert.True(r.Breaks);
        Assert.All(r.Modified, refuted => Assert.Equal(Status.Refuted, refuted.Outcome.Status)); // at every depth and position
        Assert.NotEmpty(r.Simulated);
        Assert.All(r.Simulated, simulated =>
        {
            Assert.NotNull(simulated.Report);
            Assert.Equal("kernel countermodel", simulated.Source);
        });
    }
}
