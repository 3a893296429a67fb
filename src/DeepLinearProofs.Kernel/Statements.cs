using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Kernel;

/// <summary>A variable's exact value.</summary>
public sealed record Assignment(Variable Variable, Rational Value);

/// <summary>A formula with the role it plays (hypothesis, claim, set constraint), kept as a comment in SMT-LIB.</summary>
public sealed record Labeled(string Label, Formula Formula);

/// <summary>
/// Root = sqrt(Radicand), evaluated only where Guard holds (the conditions of the and/or/=&gt; around it).
/// A partial operation: the kernel proves Guard =&gt; Radicand &gt;= 0 before it uses the root.
/// </summary>
public sealed record SquareRoot(Variable Root, Polynomial Radicand, Formula Guard);

/// <summary>One entry of an identity: Lhs = Rhs as polynomials (modulo the square roots' relations).</summary>
public sealed record Equation(string Label, Polynomial Lhs, Polynomial Rhs);

/// <summary>Every equation holds for all real values of the free variables (wherever the square roots are defined).</summary>
public sealed record IdentityStatement(IReadOnlyList<Equation> Equations, IReadOnlyList<SquareRoot> Roots, IReadOnlyList<Assignment> Witness);

/// <summary>For all real values: hypotheses =&gt; claim. <see cref="Reduction"/> is an optional rank-one rule application.</summary>
public sealed record ForallStatement(IReadOnlyList<Labeled> Hypotheses, Labeled Claim, IReadOnlyList<SquareRoot> Roots, RankOneReduction? Reduction = null);

/// <summary>
/// The rank-one rule: with a one-neuron layer every formula of the statement is claimed to equal the matching formula of
/// <see cref="Reduced"/> after a := W_{N:k+1}, b := W_{k:1}^T; <see cref="Normalize"/> adds the rescaling (a, b) -&gt; (t a, b/t).
/// </summary>
public sealed record RankOneReduction(IReadOnlyList<int> Widths, ForallStatement Reduced, bool Normalize);

/// <summary>The exact point lies in the set {Set}.</summary>
public sealed record MembershipStatement(Labeled Set, IReadOnlyList<SquareRoot> Roots, IReadOnlyList<Assignment> Point);

/// <summary>dx/dt = Rate for state variable x (the gradient flow, derived by differentiating L).</summary>
public sealed record FieldComponent(Variable Variable, Polynomial Rate);

/// <summary>A generator g (meaning g = 0) with a label; cofactors q_i with L_F g = sum q_i g_i are the certificate of its invariance.</summary>
public sealed record Generator(string Label, Polynomial G, IReadOnlyList<Polynomial>? Cofactors = null);

/// <summary>
/// h &gt;= 0, certified by a barrier (L_F h + lambda h &gt;= 0 on the equation set; exact with BarrierCofactors, else SMT) or by a
/// boundary set K ({G, h = 0} ⊆ {K = 0}; {G, K = 0} invariant by the generators' cofactors; h in the ideal by HCofactors).
/// </summary>
public sealed record Inequality(string Label, Polynomial H, Polynomial? Lambda, IReadOnlyList<Polynomial>? BarrierCofactors,
    IReadOnlyList<Generator> Boundary, IReadOnlyList<Polynomial>? HCofactors);

/// <summary>
/// S = {equations = 0} ∩ {inequalities &gt;= 0}: S is invariant under the field (when <see cref="Invariance"/>), contains no
/// point satisfying Excludes, and contains the exact Start (when given).
/// </summary>
public sealed record InvariantStatement(IReadOnlyList<FieldComponent> Field, IReadOnlyList<Generator> Equations, IReadOnlyList<Inequality> Inequalities,
    Labeled? Excludes, IReadOnlyList<Assignment> Start, bool Invariance);
