using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Words;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using Xunit;

namespace DeepLinearProofs.Tests.RedTeam;

/// <summary>
/// A referee's attack on the all-sizes calculus (sizes = "all"): false lemmas that must not be proved for every depth and
/// all widths (and, where they carry a [[network]] instance, are refuted there), kernel statements built by hand that the
/// word rule must reject whatever the translation does, and the canonical forms of the free algebra with involution.
/// The "BUG" region failed on the code as it was reviewed; the "PROBE" region passed and guards regressions.
/// Run with: dotnet test DeepLinearProofs.sln --filter "FullyQualifiedName~RedTeam.AllSizesRedTeam"
/// </summary>
public class AllSizesRedTeamTests
{
    // ------------------------------------------------------------------ helpers

    private static RedTeamRun Run(string name, string toml) => RedTeamHarness.Run(name, toml);

    /// <summary>An all-sizes identity lemma; extra lines go at the top level, after them the optional instance and the claim.</summary>
    private static string Lemma(string id, string expr, string top = "", string each = "", string let = "", string widths = "", string target = "symbolic", string expect = "fails") => $"""
        id = "redteam.all-sizes.{id}"
        sizes = "all"
        {top}
        {(widths.Length == 0 ? "" : $"[[network]]\nwidths = [{widths}]\ntarget = \"{target}\"")}
        [claim]
        method = "identity"
        {(each.Length == 0 ? "" : $"each = \"{each}\"")}
        expr = "{expr}"
        expect = "{expect}"
        {(let.Length == 0 ? "" : "[claim.let]\n" + let)}
        """;

    private static void NotProvedAtAllSizes(RedTeamRun run)
    {
        RedTeamAssert.NotProved(run, null);
        foreach (var r in run.Results) Assert.False(r.Outcome.Status == Status.Proved, run.ToString());
    }

    private static void RefutedAtInstance(RedTeamRun run)
    {
        RedTeamAssert.Refuted(run, null);
        Assert.Contains("refuted at", run.Results[0].Network);
    }

    /// <summary>Either refused as a statement about all sizes (bad input) or refuted at its instance; never proved.</summary>
    private static void RejectedOrRefutedAtInstance(RedTeamRun run)
    {
        NotProvedAtAllSizes(run);
        if (!run.Rejected) RefutedAtInstance(run);
    }

    private static Dim D(string n) => new(n);
    private static MatrixSymbol M(string name, Dim r, Dim c) => new(name, r, c);
    private static WordPoly X(MatrixSymbol s) => WordPoly.Of(s);
    private static WordPoly T(WordPoly p) => p.Transpose();

    // ================================================================== BUG: the chain rule applied to a function of the index

    [Fact]
    public void Chain_rule_term_of_a_block_alone_is_not_the_lie_derivative()
    {
        // lie(||W_{N:i+1}||^2) is not 0 for i < N (the layers above i move); the chain term D_{W_i} of it is 0 only because
        // the block was treated as a function of every layer.
        var run = Run("chain-block", Lemma("chain-block", "lie(norm2(prod(N, i+1))) == 0", each: "i = 1..N-1", widths: "2, 2, 2"));
        RejectedOrRefutedAtInstance(run);
    }

    [Fact]
    public void Chain_rule_with_the_sum_index_free_in_the_function_is_not_proved()
    {
        var run = Run("chain-free-index", Lemma("chain-free-index", "lie(norm2(prod(N, i+1))) == sum(i, 1, N, 0 * L)"));
        NotProvedAtAllSizes(run);
    }

    [Fact]
    public void Chain_rule_with_a_size_of_the_kept_layer_in_the_function_is_not_proved()
    {
        // lie(d_i L) = -d_i sum_j ||grad_j||^2, not -sum_j d_j ||grad_j||^2.
        var run = Run("chain-d", Lemma("chain-d", "lie(d[i] * L) == -sum(i, 1, N, d[i] * norm2(grad(W[i])))", each: "i = 1..N", widths: "2, 3, 2"));
        RejectedOrRefutedAtInstance(run);
    }

    [Fact]
    public void Chain_rule_with_a_named_layer_in_the_function_is_not_proved()
    {
        // lie(||W_i||^2) = 2 tr(W_i^T flow W_i), not the sum over every layer.
        var run = Run("chain-layer", Lemma("chain-layer", "lie(norm2(W[i]) + 0 * L) == sum(i, 1, N, 2 * tr(T(W[i]) * flow(W[i])))", each: "i = 1..N", widths: "2, 2, 2"));
        RejectedOrRefutedAtInstance(run);
    }

    [Fact]
    public void Chain_rule_through_a_let_that_shadows_P_is_not_proved()
    {
        var run = Run("chain-let-P", Lemma("chain-let-P", "lie(P) == sum(i, 1, N, flow(W[i]))", each: "i = 1..N", let: "P = \"W[i]\"", widths: "2, 2, 2"));
        NotProvedAtAllSizes(run);
    }

    [Fact]
    public void Kernel_rejects_a_chain_term_of_a_function_that_is_not_one_of_the_end_to_end_product()
    {
        // Whatever the translation sends: D_{W_i} tr(A^T A)[flow] = 0 for the block A = W_{N:i+1}, yet lie(tr(A^T A)) != 0.
        var net = SymbolicNetwork.Around("i", 0, 0, "i = 1..N", false);
        var a = WordPoly.Of(net.Pieces[0].Symbol);
        var f = a.Norm2();
        var letter = net.Pieces[1].Symbol;
        var s = Statement(net, new WordEquation("lie(||A||^2) == 0", WordSide.ChainTerm, f, WordPoly.Scalar(Rational.Zero), [], letter));
        Assert.NotEqual(Status.Proved, ProofKernel.Words(s, new KernelSession(null, 1000, "t")).Status);
        // d_i L: a function of P times a size that depends on the layer.
        var di = WordPoly.Scalar(Polynomial.Var(letter.Rows.Name));
        var g = net.Flow(letter);
        var sized = Statement(net, new WordEquation("lie(d_i L) == -sum d_i ||grad||^2", WordSide.ChainTerm, di * net.Loss, -(di * g.Norm2()), [], letter));
        Assert.NotEqual(Status.Proved, ProofKernel.Words(sized, new KernelSession(null, 1000, "t")).Status);
        // Without the end-to-end product the kernel cannot tell a function of P from one of the pieces.
        var bare = Statement(net, new WordEquation("lie(L) == -sum ||grad||^2", WordSide.ChainTerm, net.Loss, -g.Norm2(), [], letter)) with { EndToEnd = null };
        Assert.NotEqual(Status.Proved, ProofKernel.Words(bare, new KernelSession(null, 1000, "t")).Status);
    }

    [Fact]
    public void Kernel_still_proves_the_chain_terms_of_the_loss()
    {
        var net = SymbolicNetwork.Around("i", 0, 0, "i = 1..N", false);
        var letter = net.Pieces[1].Symbol;
        var g = net.Flow(letter);
        var s = Statement(net, new WordEquation("lie(L) == -sum ||grad||^2", WordSide.ChainTerm, net.Loss, -g.Norm2(), [], letter));
        Assert.Equal(Status.Proved, ProofKernel.Words(s, new KernelSession(null, 1000, "t")).Status);
    }

    private static WordStatement Statement(SymbolicNetwork net, WordEquation e, IReadOnlyList<WordFact>? facts = null, IReadOnlyList<WordRoot>? roots = null, IReadOnlyList<MatrixSymbol>? constants = null) =>
        new(net.Scope, net.Loss, net.Field.Select(f => new WordRate(f.Symbol, f.Rate)).ToList(), constants ?? [net.Target], facts ?? [], [e], [], roots ?? [])
            { EndToEnd = net.EndToEnd };

    // ================================================================== BUG: a let-definition named like a parameter

    [Fact]
    public void A_root_named_like_a_singular_value_does_not_define_the_singular_value()
    {
        var run = Run("let-s1", Lemma("let-s1", "s[1]^2 + 0 * s_1 == 2", let: "s_1 = \"sqrt(2)\""));
        NotProvedAtAllSizes(run);
    }

    [Fact]
    public void A_root_named_like_a_width_does_not_define_the_width()
    {
        var run = Run("let-dN", Lemma("let-dN", "d[N]^2 + 0 * d_N == 4", let: "d_N = \"sqrt(4)\""));
        NotProvedAtAllSizes(run);
    }

    [Fact]
    public void Kernel_rejects_a_root_whose_variable_is_a_parameter_of_the_facts()
    {
        // s_1 = sqrt(2) next to the fact Z v_1 = s_1 u_1 would assume the target's singular value.
        var net = SymbolicNetwork.Around("i", 0, 0, "i = 1..N", false);
        var (u, v) = (M("u_1", net.Target.Rows, Dim.One), M("v_1", net.Target.Cols, Dim.One));
        var s1 = Variable.Of("s_1");
        var fact = new WordFact("Z v_1 = s_1 u_1", X(net.Target) * X(v), X(u).Scale(Polynomial.Var(s1)));
        var root = new WordRoot(s1, Polynomial.Constant(Rational.Create(2, 1)), [(Rational.Create(2, 1), Polynomial.One)]);
        var eq = new WordEquation("s_1^2 == 2", WordSide.Given, WordPoly.Scalar(Polynomial.Var(s1) * Polynomial.Var(s1)), WordPoly.Scalar(Rational.Create(2, 1)), []);
        var s = Statement(net, eq, [fact], [root], [net.Target, u, v]);
        Assert.NotEqual(Status.Proved, ProofKernel.Words(s, new KernelSession(null, 1000, "t")).Status);
    }

    [Fact]
    public void Kernel_rejects_a_root_whose_variable_is_a_width()
    {
        var net = SymbolicNetwork.Around("i", 0, 0, "i = 1..N", false);
        var dN = Variable.Of(net.Target.Rows.Name);
        var root = new WordRoot(dN, Polynomial.Constant(Rational.Create(4, 1)), [(Rational.Create(4, 1), Polynomial.One)]);
        var eq = new WordEquation("tr(I_{d_N})^2 == 4", WordSide.Given, (X(net.Target) * T(X(net.Target))).Trace() * WordPoly.Scalar(Rational.Zero) + WordPoly.Scalar(Polynomial.Var(dN) * Polynomial.Var(dN)), WordPoly.Scalar(Rational.Create(4, 1)), []);
        Assert.NotEqual(Status.Proved, ProofKernel.Words(Statement(net, eq, roots: [root]), new KernelSession(null, 1000, "t")).Status);
    }

    // ================================================================== BUG: an instance outside the claim's scope refutes it

    [Fact]
    public void An_instance_of_another_depth_does_not_refute_a_fixed_depth_claim()
    {
        // True at depth 2 (P = W_2 W_1, singular vectors are unit vectors), not proved by the word rule (u^T u = 1 is no fact);
        // the depth-3 instance is outside the claim and must not refute it.
        var run = Run("depth-mismatch", Lemma("depth-mismatch", "T(u[1]) * u[1] == 1 and P == W[2] * W[1]", top: "depth = 2", widths: "2, 2, 2, 2", target: "diag(3, 1)", expect: "holds"));
        RedTeamAssert.NotRefuted(run);
    }

    [Fact]
    public void An_instance_whose_only_one_neuron_layer_is_the_input_does_not_refute_a_hidden_layer_claim()
    {
        // At depth 2 with d_1 = 1, ||a||^2 - ||b||^2 is conserved (T3); at widths [1, 2, 2] the one-neuron layer is the
        // input, a = P and b = 1, so the instance is not one the claim is about.
        var run = Run("input-one-neuron", Lemma("input-one-neuron", "T(u[1]) * u[1] == 1 and lie(norm2(a) - norm2(b)) == 0",
            top: "depth = 2\nrequires = \"one-neuron\"", widths: "1, 2, 2", target: "diag(3)", expect: "holds"));
        RedTeamAssert.NotRefuted(run);
    }

    // ================================================================== BUG: one process, two networks spelling Z with different sizes

    [Fact]
    public void A_fixed_depth_lemma_after_an_every_depth_lemma_in_one_process_does_not_crash()
    {
        var general = Run("loss-general", Lemma("loss-general", "lie(L) == -sum(i, 1, N, norm2(grad(W[i])))", expect: "holds"));
        var fixedDepth = Run("loss-depth2", Lemma("loss-depth2", "lie(L) == -norm2(grad(W[1])) - norm2(grad(W[2]))", top: "depth = 2", expect: "holds"));
        Assert.Equal(Status.Proved, general.Results.Single().Outcome.Status);
        Assert.Equal(Status.Proved, fixedDepth.Results.Single().Outcome.Status);
    }

    // ================================================================== BUG: bad input that crashed or hung

    [Fact]
    public void Let_definitions_that_refer_to_each_other_are_bad_input()
    {
        // Deciding whether lie(F) is of a function of every layer followed F -> G -> F for ever (a stack overflow).
        RedTeamAssert.Rejected(Run("cyclic-let", Lemma("cyclic-let", "lie(F) == 0", let: "F = \"G\"\nG = \"F\"")));
    }

    [Fact]
    public void A_power_of_a_long_sum_is_refused_within_a_budget()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = Run("power", Lemma("power", "(norm2(W[1]) + norm2(W[2]) + norm2(W[3]) + norm2(W[4]) + norm2(W[5]) + norm2(W[6]) + 1)^64 == 0", top: "depth = 6"));
        NotProvedAtAllSizes(run);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    // ================================================================== PROBE: false claims that are not proved (and refuted at an instance)

    [Fact]
    public void Invariance_of_one_half_of_E2_is_refuted()
    {
        var run = Run("inv-half", """
            id = "redteam.all-sizes.inv-half"
            sizes = "all"
            [[network]]
            widths = [2, 2, 2]
            target = "diag(3, 1)"
            [claim]
            method = "invariant"
            equations = ["W[1] * v[1]"]
            expect = "fails"
            """);
        RefutedAtInstance(run);
    }

    [Fact]
    public void Invariance_with_mismatched_singular_pairs_is_refuted()
    {
        var run = Run("inv-mismatch", """
            id = "redteam.all-sizes.inv-mismatch"
            sizes = "all"
            [[network]]
            widths = [2, 2, 2]
            target = "diag(3, 1)"
            [claim]
            method = "invariant"
            equations = ["W[1] * v[1]", "T(u[2]) * W[N]"]
            expect = "fails"
            """);
        RefutedAtInstance(run);
    }

    [Fact]
    public void End_to_end_flow_with_a_summand_missing_its_lower_factors_is_refuted()
    {
        // The summand without W_{i-1:1}^T W_{i-1:1} is right only for i = 1.
        var run = Run("t2-wrong", Lemma("t2-wrong", "lie(P) == sum(i, 1, N, prod(N, i+1) * T(prod(N, i+1)) * E)", widths: "2, 2, 2"));
        RefutedAtInstance(run);
    }

    [Fact]
    public void The_loss_is_not_conserved()
    {
        var run = Run("lie-L-zero", Lemma("lie-L-zero", "lie(L) == 0", widths: "2, 1, 2"));
        RefutedAtInstance(run);
    }

    [Fact]
    public void Rank_one_without_a_one_neuron_layer_is_refuted()
    {
        NotProvedAtAllSizes(Run("minor-general", Lemma("minor-general", "minor2(P) == 0")));
        RefutedAtInstance(Run("minor-depth2", Lemma("minor-depth2", "minor2(P) == 0", top: "depth = 2", widths: "2, 2, 2")));
    }

    [Fact]
    public void A_moving_radicand_under_lie_is_not_proved()
    {
        var run = Run("sqrt-moving", Lemma("sqrt-moving", "lie(mu) == 0", let: "mu = \"sqrt(norm2(W[1]))\""));
        NotProvedAtAllSizes(run);
    }

    [Fact]
    public void A_radicand_that_is_no_sum_of_squares_is_not_proved()
    {
        var run = Run("sqrt-negative", Lemma("sqrt-negative", "mu^2 == s[1] - 1", let: "mu = \"sqrt(s[1] - 1)\""));
        NotProvedAtAllSizes(run);
    }

    [Fact]
    public void Mode_equations_with_the_wrong_sign_are_refuted()
    {
        var run = Run("t13-wrong", Lemma("t13-wrong", "lie(alpha) == (-(A + B)/2 - c/2) * alpha + s[i] * beta",
            top: "requires = \"one-neuron\"\ndepth = 2", each: "i = 1..d[0]", widths: "2, 1, 2", target: "diag(3, 1)",
            let: "A = \"norm2(a)\"\nB = \"norm2(b)\"\nc = \"A - B\"\nalpha = \"T(u[i]) * a\"\nbeta = \"T(v[i]) * b\""));
        RefutedAtInstance(run);
    }

    [Fact]
    public void Outer_product_traces_at_the_one_neuron_layer()
    {
        // tr(a b^T Z^T) = b^T Z^T a = a^T Z b holds; (a^T a)(b^T b) is another number.
        var holds = Run("outer", Lemma("outer", "tr(a * T(b) * T(Z)) == T(b) * T(Z) * a and a * T(b) * b * T(a) == norm2(b) * a * T(a)", top: "requires = \"one-neuron\"", expect: "holds"));
        Assert.Equal(Status.Proved, holds.Results.Single().Outcome.Status);
        var wrong = Run("outer-wrong", Lemma("outer-wrong", "tr(a * T(b) * T(Z)) == T(a) * a * T(b) * b", top: "requires = \"one-neuron\"", widths: "2, 1, 2"));
        Assert.NotEqual(Status.Proved, wrong.Results.Single().Outcome.Status);
    }

    [Fact]
    public void Index_ranges_and_mixed_layers_are_bad_input()
    {
        RedTeamAssert.Rejected(Run("range", Lemma("range", "lie(C[j]) == 0", each: "j = 1..N", expect: "holds")));
        RedTeamAssert.Rejected(Run("range-low", Lemma("range-low", "lie(T(W[j-1]) * W[j-1]) == 0", each: "j = 1..N", expect: "holds")));
        RedTeamAssert.Rejected(Run("mix", Lemma("mix", "T(W[j]) * W[1] == T(W[1]) * W[j]", each: "j = 1..N", expect: "holds")));
        RedTeamAssert.Rejected(Run("sum-range", Lemma("sum-range", "lie(L) == -sum(i, 2, N, norm2(grad(W[i])))")));
        RedTeamAssert.Rejected(Run("split-block", Lemma("split-block", "prod(j+1, 1) == W[j] * prod(j-1, 1)", each: "j = 1..N")));
    }

    // ================================================================== PROBE: canonical forms of the free algebra with involution

    private static readonly Dim Dd = D("d"), De = D("e");
    private static readonly WordPoly A = X(M("A", Dd, Dd)), B = X(M("B", Dd, Dd)), C = X(M("C", Dd, Dd));
    private static readonly WordPoly Ue = X(M("u", De, Dim.One)), Vd = X(M("v", Dd, Dim.One)), Yd = X(M("y", Dd, Dim.One)), Zd = X(M("z", Dd, Dim.One)), Xe = X(M("x", De, Dim.One));
    private static readonly WordPoly R = X(M("R", De, Dd));

    [Fact]
    public void Traces_are_cyclic_and_transpose_invariant_but_not_symmetric()
    {
        Assert.Equal((A * B * C).Trace(), (B * C * A).Trace());
        Assert.Equal((A * B * C).Trace(), (C * A * B).Trace());
        Assert.Equal((A * B).Trace(), (B * A).Trace());
        Assert.Equal((A * B * C).Trace(), (T(C) * T(B) * T(A)).Trace());
        Assert.Equal(A.Trace(), T(A).Trace());
        Assert.NotEqual((A * B * C).Trace(), (A * C * B).Trace());
        Assert.NotEqual((A * B * C).Trace(), (T(A) * B * C).Trace());
        Assert.NotEqual((A * B * A * B).Trace(), (A * A * B * B).Trace());
        Assert.NotEqual((A * T(A) * B * T(B)).Trace(), (A * T(B) * B * T(A)).Trace() - (A * T(B) * B * T(A)).Trace() + (A * B * T(B) * T(A)).Trace() + (A * A).Trace());
    }

    [Fact]
    public void Products_do_not_commute()
    {
        Assert.NotEqual(A * B, B * A);
        Assert.NotEqual(Vd * T(Yd), Yd * T(Vd));
        Assert.NotEqual(T(A), A);
    }

    [Fact]
    public void A_one_by_one_word_equals_its_transpose_only_as_a_word_of_its_own()
    {
        Assert.Equal(T(Ue) * R * Vd, T(Vd) * T(R) * Ue);
        Assert.Equal(T(Vd) * A * Yd, T(Yd) * T(A) * Vd);
        Assert.NotEqual(T(Vd) * A * Yd, T(Vd) * T(A) * Yd);
        Assert.NotEqual(T(Vd) * A * B * Yd, T(Vd) * B * A * Yd);
    }

    [Fact]
    public void A_one_by_one_factor_inside_a_product_commutes_out()
    {
        Assert.Equal(Xe * T(Yd) * Zd, (T(Yd) * Zd) * Xe);
        Assert.Equal(R * Vd * T(Yd) * Zd * T(Ue) * R, (T(Yd) * Zd) * R * Vd * T(Ue) * R);
        Assert.Equal(A * Vd * (T(Yd) * B * Zd) * T(Vd), (T(Zd) * T(B) * Yd) * A * Vd * T(Vd));
        Assert.NotEqual(A * Vd * T(Yd) * Zd, A * Zd * T(Yd) * Vd);
        Assert.Equal((Vd * T(Yd)).Trace(), T(Yd) * Vd);
        Assert.Equal((A * Vd * T(Yd) * B).Trace(), T(Yd) * B * A * Vd);
        Assert.NotEqual((A * Vd * T(Yd) * B).Trace(), T(Yd) * A * B * Vd);
        Assert.Equal((Vd * T(Vd) * A).Trace(), T(Vd) * A * Vd);
    }

    [Fact]
    public void Derivatives_and_substitution_follow_the_product_rule()
    {
        var xs = M("X", De, Dd);
        var h = X(M("H", De, Dd));
        var f = (T(X(xs)) * X(xs)).Trace();
        Assert.Equal(Rational.Create(2, 1) * (T(X(xs)) * h).Trace(), f.Derivative(xs, h));
        var g = X(xs) * A * T(X(xs));
        Assert.Equal(h * A * T(X(xs)) + X(xs) * A * T(h), g.Derivative(xs, h));
        var subst = (A * B).Substitute(s => s.Name == "A" ? B * C : null);
        Assert.Equal(B * C * B, subst);
        Assert.Equal((T(Vd) * B * C * Yd) * (T(Vd) * B * C * Yd), ((T(Vd) * A * Yd) * (T(Vd) * A * Yd)).Substitute(s => s.Name == "A" ? B * C : null));
    }

    [Fact]
    public void Mismatched_sizes_are_refused()
    {
        Assert.Throws<WordShapeException>(() => R * R);
        Assert.Throws<WordShapeException>(() => R + T(R));
        Assert.Throws<WordShapeException>(() => R.Trace());
    }
}
