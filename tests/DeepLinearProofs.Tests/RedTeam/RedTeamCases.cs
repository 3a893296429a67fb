using DeepLinearProofs.Algebra;
using static DeepLinearProofs.Tests.RedTeam.Exact;

namespace DeepLinearProofs.Tests.RedTeam;

/// <summary>What a sound checker must do with a case.</summary>
public enum Expect
{
    /// <summary>Certainly false with an obvious rational countermodel: Refuted, countermodel re-checked exactly.</summary>
    Refuted,
    /// <summary>False or not provable as stated: anything but Proved / Vacuous (a Refuted countermodel is re-checked).</summary>
    NotProved,
    /// <summary>True on a non-empty domain: anything but Refuted / Vacuous.</summary>
    NotRefuted,
    /// <summary>Nothing is checked: exactly Vacuous, and not a pass.</summary>
    Vacuous,
    /// <summary>Nothing is checked (vacuous = "allowed"): Vacuous, and a pass.</summary>
    VacuousAllowed,
    /// <summary>Undefined or empty: Vacuous, Unknown, Error or bad input, never Proved or Refuted.</summary>
    NoVerdict,
    /// <summary>Ill-formed: bad input or Error.</summary>
    Rejected,
}

/// <summary>One red-team lemma: its class (1-9 of the brief), the lemma text, the property, and an independent check of a countermodel.</summary>
public sealed record RedTeamCase(int Class, string Name, Expect Expect, string Toml, Func<IReadOnlyDictionary<string, Rational>, bool>? FailsAt = null)
{
    public override string ToString() => Name;
}

public static class RedTeamCases
{
    private static readonly Rational Half = Rational.Create(1, 2);
    private static readonly int[] W111 = [1, 1, 1];
    private static readonly int[] W212 = [2, 1, 2];
    private static readonly Rational[,] Z3x3 = M([3]);

    private static Rational L111(IReadOnlyDictionary<string, Rational> p, Rational[,] z) => Loss(z, EndToEnd(p, W111));
    private static Rational L212(IReadOnlyDictionary<string, Rational> p, Rational[,] z) => Loss(z, EndToEnd(p, W212));

    // Whitened data: X X^T = I, Z = Y X^T = diag(3,2), 1/2(||Y||^2 - ||Z||^2) = 1/2(14 - 13) = 1/2.
    private const string WhitenedData = "data(X=[[1,0,0],[0,1,0]], Y=[[3,0,1],[0,2,0]])";
    private static readonly Rational[,] WX = M([1, 0, 0], [0, 1, 0]);
    private static readonly Rational[,] WY = M([3, 0, 1], [0, 2, 0]);
    // Non-whitened: Sigma = diag(4,1), Z = Y X^T Sigma^{-1/2} = Y = diag(2,1), but L(P) = 1/2||Y - P X||^2 != 1/2||Z - P||^2 + c.
    private const string SkewedData = "data(X=[[2,0],[0,1]], Y=[[2,0],[0,1]])";
    private static readonly Rational[,] SX = M([2, 0], [0, 1]);
    private static readonly Rational[,] SY = M([2, 0], [0, 1]);

    private const string Big = "123456789012345678901234567890/7";

    private static string Forall(string id, string widths, string target, string expr, string extra = "", string claimKeys = "", int timeout = 3) => $"""
        id = "redteam.{id}"
        [[network]]
        widths = [{widths}]
        target = {target}
        [claim]
        method = "forall"
        expr = "{expr}"
        timeout_s = {timeout}
        {claimKeys}
        {extra}
        """;

    private static string Identity(string id, string widths, string target, string expr, string claimKeys = "", string extra = "") => $"""
        id = "redteam.{id}"
        [[network]]
        widths = [{widths}]
        target = {target}
        [claim]
        method = "identity"
        expr = "{expr}"
        {claimKeys}
        {extra}
        """;

    private const string RankOne = "reductions = [\"rank-one\"]";
    private const string RankOneNormalize = "reductions = [\"rank-one\", \"normalize\"]";
    private const string T6 = "sum(i, 2, d[0], s[i]^2) / 2";

    public static readonly IReadOnlyList<RedTeamCase> All =
    [
        // ---- 1. Partial operation assumed: a sqrt side condition must be an obligation, never a domain restriction.
        new(1, "C1.unused-sqrt-let-keeps-domain-1-1-1", Expect.Refuted,
            Forall("c1a", "1, 1, 1", "[[3]]", "L >= 1", "[claim.let]\nguard = \"sqrt(L - 1)\""),
            p => L111(p, Z3x3) < 1), // W = (3, 1): L = 0
        new(1, "C1.unused-sqrt-let-keeps-domain-2-1-2", Expect.Refuted,
            Forall("c1b", "2, 1, 2", "\"diag(2,1)\"", "L >= 1", "[claim.let]\nguard = \"sqrt(L - 1)\""),
            p => L212(p, Diag(2, 2, 2, 1)) < 1), // minimiser 2 e1 e1^T: L = 1/2
        new(1, "C1.unused-sqrt-let-keeps-domain-rank-one", Expect.Refuted,
            Forall("c1c", "3, 1, 3", "\"diag(3,2,1)\"", "L >= 3", "[claim.let]\nguard = \"sqrt(L - 3)\"", RankOneNormalize),
            p => Loss(Diag(3, 3, 3, 2, 1), EndToEnd(p, [3, 1, 3])) < 3), // min L = 5/2
        new(1, "C1.control-no-let-2-1-2", Expect.Refuted,
            // the same statement without the sqrt let: what the two cases above must reduce to
            Forall("c1b0", "2, 1, 2", "\"diag(2,1)\"", "L >= 1"),
            p => L212(p, Diag(2, 2, 2, 1)) < 1),
        new(1, "C1.control-no-let-rank-one", Expect.Refuted,
            Forall("c1c0", "3, 1, 3", "\"diag(3,2,1)\"", "L >= 3", "", RankOneNormalize),
            p => Loss(Diag(3, 3, 3, 2, 1), EndToEnd(p, [3, 1, 3])) < 3),
        new(1, "C1.sqrt-in-hypothesis-is-obligation", Expect.NotProved,
            Forall("c1d", "1, 1, 1", "[[3]]", "L >= 1", "[claim.hypotheses]\ndefined = \"sqrt(L - 1) >= 0\"")),
        new(1, "C1.sqrt-in-claim-is-obligation", Expect.NotProved,
            Forall("c1e", "1, 1, 1", "[[3]]", "sqrt(L - 1) >= 0")),
        new(1, "C1.sqrt-in-claim-is-obligation-rank-one", Expect.NotProved,
            Forall("c1f", "2, 1, 2", "\"diag(2,1)\"", "sqrt(L - 1) >= 0", "", RankOne, timeout: 2)),
        new(1, "C1.sqrt-under-implication-guard-true", Expect.NotRefuted,
            Forall("c1g", "1, 1, 1", "[[3]]", "L >= 1 => sqrt(L - 1) >= 0")),
        new(1, "C1.sqrt-under-hypothesis-guard-true", Expect.NotRefuted,
            Forall("c1h", "1, 1, 1", "[[3]]", "sqrt(L - 1) >= 1", "[claim.hypotheses]\nhigh = \"L >= 2\"")),
        new(1, "C1.sqrt-under-guard-false-claim", Expect.NotProved,
            // false at w1 = 11/7, w2 = 1: L = 50/49, sqrt(L - 1) = 1/7 < 1
            Forall("c1i", "1, 1, 1", "[[3]]", "L >= 1 => sqrt(L - 1) >= 1"),
            p => { var l = L111(p, Z3x3); return l >= 1 && l < 2; }),
        new(1, "C1.barrier-only-on-sqrt-domain", Expect.NotProved,
            // {w1 >= 0} is left from (0, -1): w1' = w2 (3 - w1 w2) = -3. The barrier L_F h + w2^2 h = 3 w2 >= 0 needs w2 >= 0,
            // which only the unused sqrt(w2) supplies.
            """
            id = "redteam.c1j"
            [[network]]
            widths = [1, 1, 1]
            target = [[3]]
            [claim]
            method = "invariant"
            timeout_s = 5
            [claim.let]
            r = "sqrt(W2[1,1])"
            [[claim.inequality]]
            expr = "W1[1,1]"
            lambda = "W2[1,1]^2"
            """),
        new(1, "C1.excludes-only-on-sqrt-domain", Expect.NotProved,
            // S = {C_1 = 0} contains the minimiser (2, 2) of target [[4]] (L = 0); the unused sqrt(L - 1) would hide it.
            """
            id = "redteam.c1k"
            [[network]]
            widths = [1, 1, 1]
            target = [[4]]
            [claim]
            method = "invariant"
            equations = ["C[1]"]
            excludes = "P == 4"
            timeout_s = 5
            [claim.let]
            r = "sqrt(L - 1)"
            """),

        // ---- 2. sqrt treated as a constant under lie().
        new(2, "C2.sqrt-norm-equation-with-start", Expect.NotProved,
            // d||W||^2/dt = 4 p (3 - p) = 4 * 12/25 * 63/25 > 0 at (3/5, 4/5)
            """
            id = "redteam.c2a"
            [[network]]
            widths = [1, 1, 1]
            target = [[3]]
            [network.point]
            W1 = [["3/5"]]
            W2 = [["4/5"]]
            [claim]
            method = "invariant"
            equations = ["sqrt(W1[1,1]^2 + W2[1,1]^2) - 1"]
            timeout_s = 5
            """),
        new(2, "C2.sqrt-norm-equation", Expect.NotProved,
            """
            id = "redteam.c2b"
            [[network]]
            widths = [1, 1, 1]
            target = [[3]]
            [claim]
            method = "invariant"
            equations = ["sqrt(norm2(W1) + norm2(W2)) - 1"]
            timeout_s = 5
            """),
        new(2, "C2.sqrt-norm-ball-barrier", Expect.NotProved,
            // {||W|| <= 1}: at (3/5, 4/5) the norm grows.
            """
            id = "redteam.c2c"
            [[network]]
            widths = [1, 1, 1]
            target = [[3]]
            [claim]
            method = "invariant"
            timeout_s = 5
            [[claim.inequality]]
            expr = "1 - sqrt(norm2(W1) + norm2(W2))"
            lambda = "0"
            """),
        new(2, "C2.sqrt-norm-outside-ball-barrier", Expect.NotProved,
            // {||W|| >= 1}: at (3/5, -4/5), p < 0 and d||W||^2/dt = 4 p (3 - p) < 0.
            """
            id = "redteam.c2d"
            [[network]]
            widths = [1, 1, 1]
            target = [[3]]
            [claim]
            method = "invariant"
            timeout_s = 5
            [[claim.inequality]]
            expr = "sqrt(norm2(W1) + norm2(W2)) - 1"
            lambda = "0"
            """),
        new(2, "C2.sqrt-norm-equation-depth-3", Expect.NotProved,
            // p = 4/27 in (0, 2): d||W||^2/dt = 6 p (2 - p) > 0
            """
            id = "redteam.c2e"
            [[network]]
            widths = [1, 1, 1, 1]
            target = [[2]]
            [network.point]
            W1 = [["1/3"]]
            W2 = [["2/3"]]
            W3 = [["2/3"]]
            [claim]
            method = "invariant"
            equations = ["sqrt(norm2(W1) + norm2(W2) + norm2(W3)) - 1"]
            timeout_s = 5
            """),
        new(2, "C2.lie-of-let-sqrt-not-conserved", Expect.NotProved,
            Identity("c2f", "1, 1, 1", "[[3]]", "lie(r) == 0", "", "[claim.let]\nr = \"sqrt(norm2(W1) + norm2(W2))\"")),
        new(2, "C2.lie-of-sqrt-conserved-signed-radicand", Expect.NotProved,
            // C_1 = w2^2 - w1^2 is conserved but negative at (1, 0): sqrt(C_1) is not defined everywhere.
            Identity("c2g", "1, 1, 1", "[[3]]", "lie(sqrt(C[1])) == 0")),

        // ---- 3. rank-one on a data target: the loss keeps its constant (or the rule is refused).
        new(3, "C3.data-upper-bound-forgets-constant", Expect.NotProved,
            Forall("c3a", "2, 1, 2", $"\"{WhitenedData}\"", "L <= norm2(E) / 2", "", RankOne),
            p => { var P = EndToEnd(p, W212); return DataLoss(WX, WY, P) > Loss(M([3, 0], [0, 2]), P); }),
        new(3, "C3.data-minimiser-level-forgets-constant", Expect.NotProved,
            // at P = 3 e1 e1^T the data loss is 1/2 * 4 + 1/2 = 5/2 > 2
            Forall("c3b", "2, 1, 2", $"\"{WhitenedData}\"", "P[1,1] == 3 and P[1,2] == 0 and P[2,1] == 0 and P[2,2] == 0 => L <= 2", "", RankOne),
            p => { var P = EndToEnd(p, W212); return Equal(P, M([3, 0], [0, 0])) && DataLoss(WX, WY, P) > 2; }),
        new(3, "C3.data-rank-one-bound-with-constant", Expect.NotRefuted,
            Forall("c3c", "2, 1, 2", $"\"{WhitenedData}\"", "L >= 5/2", "", RankOneNormalize)),
        new(3, "C3.data-loss-is-residual-plus-constant", Expect.NotRefuted,
            Forall("c3d", "2, 1, 2", $"\"{WhitenedData}\"", "L == norm2(E) / 2 + 1/2", "", RankOne)),
        new(3, "C3.non-whitened-level-true", Expect.NotRefuted,
            // P = e1 e1^T: Y - P X = diag(0, 1), L = 1/2 (while 1/2||Z - P||^2 = 1)
            Forall("c3e", "2, 1, 2", $"\"{SkewedData}\"", "P[1,1] == 1 and P[1,2] == 0 and P[2,1] == 0 and P[2,2] == 0 => L == 1/2", "", RankOne)),
        new(3, "C3.non-whitened-level-false", Expect.NotProved,
            Forall("c3f", "2, 1, 2", $"\"{SkewedData}\"", "P[1,1] == 1 and P[1,2] == 0 and P[2,1] == 0 and P[2,2] == 0 => L == 1", "", RankOne),
            p => { var P = EndToEnd(p, W212); return Equal(P, M([1, 0], [0, 0])) && DataLoss(SX, SY, P) != 1; }),
        new(3, "C3.non-whitened-rank-one-bound", Expect.NotRefuted,
            // PX ranges over all rank-one matrices (X invertible): min L = s_2(Y)^2 / 2 = 1/2
            Forall("c3g", "2, 1, 2", $"\"{SkewedData}\"", "L >= 1/2", "", RankOneNormalize)),

        // ---- 4. rank-one on the wrong shape: a one-neuron input or output layer fixes a or b to I_1.
        new(4, "C4.k-N-3-2-1-a-is-one", Expect.NotRefuted,
            Forall("c4a", "3, 2, 1", "\"diag(3)\"", "a[1,1] == 1", "", RankOne)),
        new(4, "C4.k-N-2-2-1-P-is-b-transpose", Expect.NotRefuted,
            Forall("c4b", "2, 2, 1", "\"diag(2)\"", "P == T(b)", "", RankOne)),
        new(4, "C4.k-0-1-2-3-b-is-one", Expect.NotRefuted,
            Forall("c4c", "1, 2, 3", "\"diag(3)\"", "b[1,1] == 1", "", RankOne)),
        new(4, "C4.k-0-1-2-2-2-P-is-a", Expect.NotRefuted,
            Forall("c4d", "1, 2, 2, 2", "\"diag(2)\"", "P == a", "", RankOne)),
        new(4, "C4.k-N-3-2-1-a-is-not-two", Expect.NotProved,
            Forall("c4e", "3, 2, 1", "\"diag(3)\"", "a[1,1] == 2", "", RankOne)),

        // ---- 5. a countermodel must lie in the whole set, inequalities included.
        // Flow for widths 1,1,1, target [[3]]: (w1 - w2)' = -(w1 - w2)(3 - p), (w1 + w2)' = (w1 + w2)(3 - p).
        // g = (w1 - w2)(w1 + w2 - 10) has L_F g = 10 (w1 - w2)(3 - p): non-zero only on the branch w1 + w2 = 10,
        // which h = -(w1 + w2) >= 0 excludes. S = {w1 = w2 <= 0} is invariant; no point of S refutes it.
        new(5, "C5.branch-outside-inequality-boundary", Expect.NotRefuted,
            """
            id = "redteam.c5a"
            [[network]]
            widths = [1, 1, 1]
            target = [[3]]
            [network.point]
            W1 = [[-1]]
            W2 = [[-1]]
            [claim]
            method = "invariant"
            equations = ["(W1[1,1] - W2[1,1]) * (W1[1,1] + W2[1,1] - 10)"]
            timeout_s = 5
            [[claim.inequality]]
            expr = "-(W1[1,1] + W2[1,1])"
            boundary = ["W1", "W2"]
            """),
        new(5, "C5.branch-outside-inequality-lambda", Expect.NotRefuted,
            // L_F h = (3 - p) h exactly, so lambda = p - 3 gives L_F h + lambda h = 0
            """
            id = "redteam.c5b"
            [[network]]
            widths = [1, 1, 1]
            target = [[3]]
            [claim]
            method = "invariant"
            equations = ["(W1[1,1] - W2[1,1]) * (W1[1,1] + W2[1,1] - 10)"]
            timeout_s = 5
            [[claim.inequality]]
            expr = "-(W1[1,1] + W2[1,1])"
            lambda = "W1[1,1] * W2[1,1] - 3"
            """),
        new(5, "C5.branch-outside-inequality-depth-3", Expect.NotRefuted,
            // widths 1,1,1,1: the same with the factor w3: L_F g = 10 w3 (w1 - w2)(3 - p)
            """
            id = "redteam.c5c"
            [[network]]
            widths = [1, 1, 1, 1]
            target = [[3]]
            [network.point]
            W1 = [[-1]]
            W2 = [[-1]]
            W3 = [[1]]
            [claim]
            method = "invariant"
            equations = ["(W1[1,1] - W2[1,1]) * (W1[1,1] + W2[1,1] - 10)"]
            timeout_s = 5
            [[claim.inequality]]
            expr = "-(W1[1,1] + W2[1,1])"
            boundary = ["W1", "W2"]
            """),

        // ---- 6. singular values are sorted and non-negative: diag(2,3) has s = (3, 2), diag(-3,2) has s = (3, 2).
        new(6, "C6.T6-bound-diag-2-3", Expect.NotRefuted,
            Forall("c6a", "2, 1, 2", "\"diag(2,3)\"", $"L >= {T6}", "", RankOneNormalize)),
        new(6, "C6.T6-bound-diag-2-minus-3", Expect.NotRefuted,
            Forall("c6b", "2, 1, 2", "\"diag(2,-3)\"", $"L >= {T6}", "", RankOneNormalize)),
        new(6, "C6.T6-bound-diag-minus-3-2", Expect.NotRefuted,
            Forall("c6c", "2, 1, 2", "\"diag(-3,2)\"", $"L >= {T6}", "", RankOneNormalize)),
        new(6, "C6.T6-bound-diag-1-3-2", Expect.NotRefuted,
            Forall("c6d", "3, 1, 3", "\"diag(1,3,2)\"", $"L >= {T6}", "", RankOneNormalize)),
        new(6, "C6.s-sorted-diag-2-3", Expect.NotRefuted,
            Forall("c6e", "2, 1, 2", "\"diag(2,3)\"", "s[1] == 3 and s[2] == 2")),
        new(6, "C6.s-non-negative-diag-minus-3-2", Expect.NotRefuted,
            Forall("c6f", "2, 1, 2", "\"diag(-3,2)\"", "s[1] == 3 and s[2] == 2")),
        new(6, "C6.svd-reconstructs-diag-2-3", Expect.NotRefuted,
            Identity("c6g", "2, 1, 2", "\"diag(2,3)\"", "Z == sum(i, 1, 2, s[i] * u[i] * T(v[i]))")),
        new(6, "C6.svd-reconstructs-diag-minus-3-2", Expect.NotRefuted,
            Identity("c6h", "2, 1, 2", "\"diag(-3,2)\"", "Z == sum(i, 1, 2, s[i] * u[i] * T(v[i]))")),
        new(6, "C6.unique-minimiser-diag-2-3", Expect.NotRefuted,
            Forall("c6i", "2, 1, 2", "\"diag(2,3)\"", $"L <= {T6} => P == s[1] * u[1] * T(v[1])", "", RankOneNormalize)),
        new(6, "C6.s1-for-s2-bound-diag-2-3", Expect.Refuted,
            // bound 9/2, but L = 2 at P = 3 e2 e2^T
            Forall("c6j", "2, 1, 2", "\"diag(2,3)\"", "L >= s[1]^2 / 2", "", RankOneNormalize),
            p => L212(p, Diag(2, 2, 2, 3)) < Rational.Create(9, 2)),
        new(6, "C6.s1-for-s2-bound-diag-minus-3-2", Expect.Refuted,
            Forall("c6k", "2, 1, 2", "\"diag(-3,2)\"", "L >= s[1]^2 / 2", "", RankOneNormalize),
            p => L212(p, Diag(2, 2, -3, 2)) < Rational.Create(9, 2)),
        new(6, "C6.minimiser-on-wrong-direction-diag-2-3", Expect.Refuted,
            // L <= 2 only at P = 3 e2 e2^T, and u[2] v[2]^T = e1 e1^T
            Forall("c6l", "2, 1, 2", "\"diag(2,3)\"", "L <= 2 => P == 3 * u[2] * T(v[2])", "", RankOneNormalize),
            p => { var P = EndToEnd(p, W212); return Loss(Diag(2, 2, 2, 3), P) <= 2 && !Equal(P, M([3, 0], [0, 0])); }),

        // ---- 7. vacuous success: nothing checked never reads as proved.
        new(7, "C7.empty-each-identity", Expect.Vacuous,
            Identity("c7a", "2, 1, 2", "\"diag(2,1)\"", "C[j] == 1", "each = \"j = 1..N-2\"")),
        new(7, "C7.empty-each-identity-allowed", Expect.VacuousAllowed,
            Identity("c7b", "2, 1, 2", "\"diag(2,1)\"", "C[j] == 1", "each = \"j = 1..N-2\"\nvacuous = \"allowed\"")),
        new(7, "C7.empty-each-forall", Expect.Vacuous,
            Forall("c7c", "2, 1, 2", "\"diag(2,1)\"", "norm2(W[j]) < 0", "", "each = \"j = 1..N-2\"")),
        new(7, "C7.contradictory-loss-hypotheses", Expect.Vacuous,
            Forall("c7d", "1, 1, 1", "[[3]]", "L == 7", "[claim.hypotheses]\nhigh = \"L >= 2\"\nlow = \"L <= 1\"")),
        new(7, "C7.contradictory-weight-hypotheses", Expect.Vacuous,
            Forall("c7e", "1, 1, 1", "[[3]]", "L < 0", "[claim.hypotheses]\npositive = \"W1[1,1] > 0\"\nnegative = \"W1[1,1] < 0\"")),
        new(7, "C7.nonlinear-contradictory-hypotheses", Expect.Vacuous,
            // P = 3 forces L = 0
            Forall("c7f", "1, 1, 1", "[[3]]", "L >= 100", "[claim.hypotheses]\nfit = \"W1[1,1] * W2[1,1] == 3\"\nloss = \"L > 0\"")),
        new(7, "C7.negative-loss-premise", Expect.Vacuous,
            Forall("c7g", "1, 1, 1", "[[3]]", "L < 0 => L == 5")),
        new(7, "C7.negative-loss-premise-rank-one", Expect.Vacuous,
            Forall("c7h", "2, 1, 2", "\"diag(2,1)\"", "L < 0 => P == 0", "", RankOneNormalize)),
        new(7, "C7.unsat-disjunctive-premise", Expect.Vacuous,
            Forall("c7i", "1, 1, 1", "[[3]]", "W1[1,1]^2 + 1 <= 0 or L < 0 => L == 5")),
        new(7, "C7.identity-empty-sqrt-domain", Expect.NoVerdict,
            Identity("c7j", "2, 1, 2", "\"diag(2,1)\"", "sqrt(-1 - L)^2 == -1 - L")),
        new(7, "C7.forall-empty-sqrt-domain", Expect.NoVerdict,
            Forall("c7k", "2, 1, 2", "\"diag(2,1)\"", "r < 0", "[claim.let]\nr = \"sqrt(-1 - L)\"")),
        new(7, "C7.identity-of-I-minus-1", Expect.NoVerdict,
            Identity("c7l", "1, 1, 1", "[[3]]", "I[-1] == 2 * I[-1]")),
        new(7, "C7.identity-of-I-0", Expect.NoVerdict,
            Identity("c7m", "1, 1, 1", "[[3]]", "I[0] * 5 == I[0]")),
        new(7, "C7.forall-equation-no-entries", Expect.NoVerdict,
            Forall("c7n", "1, 1, 1", "[[3]]", "I[0] == 5")),
        new(7, "C7.forall-inequation-no-entries", Expect.NoVerdict,
            Forall("c7o", "1, 1, 1", "[[3]]", "I[-1] != 0")),

        // ---- 9. general soundness.
        new(9, "C9.T6-bound-flipped", Expect.Refuted,
            Forall("c9a", "2, 1, 2", "\"diag(2,1)\"", $"L <= {T6}", "", RankOneNormalize),
            p => L212(p, Diag(2, 2, 2, 1)) > Half),
        new(9, "C9.T6-bound-without-the-half", Expect.Refuted,
            Forall("c9b", "2, 1, 2", "\"diag(2,1)\"", "L >= sum(i, 2, d[0], s[i]^2)", "", RankOneNormalize),
            p => L212(p, Diag(2, 2, 2, 1)) < 1),
        new(9, "C9.T6-bound-without-the-half-depth-3", Expect.Refuted,
            Forall("c9c", "3, 2, 1, 3", "\"diag(3,2,1)\"", "L >= sum(i, 2, d[0], s[i]^2)", "", RankOneNormalize),
            p => Loss(Diag(3, 3, 3, 2, 1), EndToEnd(p, [3, 2, 1, 3])) < 5),
        new(9, "C9.T6-bound-made-strict", Expect.Refuted,
            Forall("c9d", "2, 1, 2", "\"diag(2,1)\"", $"L > {T6}", "", RankOneNormalize),
            p => L212(p, Diag(2, 2, 2, 1)) <= Half),
        new(9, "C9.minimiser-claimed-at-zero", Expect.Refuted,
            Forall("c9e", "2, 1, 2", "\"diag(2,1)\"", "L <= 1/2 => P == 0", "", RankOneNormalize),
            p => { var P = EndToEnd(p, W212); return L212(p, Diag(2, 2, 2, 1)) <= Half && !Equal(P, Zeros(2, 2)); }),
        new(9, "C9.unique-minimiser-under-the-gap", Expect.NotRefuted,
            Forall("c9f", "2, 1, 2", "\"diag(2,1)\"", "L <= 1/2 => P == s[1] * u[1] * T(v[1])", "", RankOneNormalize)),
        new(9, "C9.wrong-conserved-quantity-2-1-2", Expect.Refuted,
            Identity("c9g", "2, 1, 2", "\"diag(2,1)\"", "lie(W[j+1] * T(W[j+1]) - T(W[j]) * W[j]) == 0", "each = \"j = 1..N-1\"")),
        new(9, "C9.wrong-conserved-quantity-3-1-3", Expect.Refuted,
            Identity("c9h", "3, 1, 3", "\"diag(3,2,1)\"", "lie(W[j+1] * T(W[j+1]) - T(W[j]) * W[j]) == 0", "each = \"j = 1..N-1\"")),
        new(9, "C9.wrong-conserved-quantity-depth-3", Expect.Refuted,
            Identity("c9i", "2, 1, 2, 1", "\"diag(2)\"", "lie(W[j+1] * T(W[j+1]) - T(W[j]) * W[j]) == 0", "each = \"j = 1..N-1\"")),
        new(9, "C9.output-factor-flow-k-0", Expect.Refuted,
            Identity("c9j", "1, 2, 2, 2", "\"diag(2)\"", "lie(a) == E * b")),
        new(9, "C9.output-factor-flow-k-1", Expect.Refuted,
            Identity("c9k", "2, 1, 2, 2", "\"diag(2,1)\"", "lie(a) == E * b")),
        new(9, "C9.output-factor-flow-k-2-holds", Expect.NotRefuted,
            // a = W_3 and W_3' = E W_{2:1}^T = E b when k = N - 1
            Identity("c9l", "2, 2, 1, 2", "\"diag(2,1)\"", "lie(a) == E * b")),
        new(9, "C9.output-factor-flow-k-3", Expect.Refuted,
            Identity("c9m", "2, 2, 2, 1", "\"diag(2)\"", "lie(a) == E * b")),
        new(9, "C9.input-factor-flow-k-1-holds", Expect.NotRefuted,
            // b = W_1^T and W_1' = W_{N:2}^T E, so b' = E^T a when k = 1
            Identity("c9n", "2, 1, 2, 2", "\"diag(2,1)\"", "lie(b) == T(E) * a")),
        new(9, "C9.input-factor-flow-k-2", Expect.Refuted,
            Identity("c9o", "2, 2, 1, 2", "\"diag(2,1)\"", "lie(b) == T(E) * a")),
        new(9, "C9.membership-strict-at-minimiser", Expect.Refuted,
            """
            id = "redteam.c9p"
            [[network]]
            widths = [3, 1, 3]
            target = "diag(3,2,1)"
            [network.point]
            W1 = [[1, 0, 0]]
            W2 = [[3], [0], [0]]
            [claim]
            method = "membership"
            expr = "L > 5/2"
            """),
        new(9, "C9.membership-irrational-root", Expect.NotProved,
            // L = 5/2 and sqrt(5/2) < 2
            """
            id = "redteam.c9q"
            [[network]]
            widths = [3, 1, 3]
            target = "diag(3,2,1)"
            [network.point]
            W1 = [[1, 0, 0]]
            W2 = [[3], [0], [0]]
            [claim]
            method = "membership"
            expr = "sqrt(L) > 2"
            timeout_s = 5
            """),
        new(9, "C9.membership-saddle-as-minimiser", Expect.Refuted,
            """
            id = "redteam.c9r"
            [[network]]
            widths = [3, 1, 3]
            target = "diag(3,2,1)"
            [network.point]
            W1 = [[0, 1, 0]]
            W2 = [[0], [2], [0]]
            [claim]
            method = "membership"
            expr = "P == s[1] * u[1] * T(v[1])"
            """),
        new(9, "C9.not-invariant-equation", Expect.NotProved,
            // on a_1 = b_1 = x: (a_1 - b_1)' = x (|a|^2 - |b|^2) != 0
            """
            id = "redteam.c9s"
            [[network]]
            widths = [2, 1, 2]
            target = "diag(2,1)"
            [claim]
            method = "invariant"
            equations = ["a[1,1] - b[1,1]"]
            timeout_s = 5
            """),
        new(9, "C9.not-invariant-inequality", Expect.NotProved,
            // {w1^2 >= 1} is left from (1, -1): w1' = w2 (3 - p) = -4
            """
            id = "redteam.c9t"
            [[network]]
            widths = [1, 1, 1]
            target = [[3]]
            [claim]
            method = "invariant"
            timeout_s = 5
            [[claim.inequality]]
            expr = "norm2(W1) - 1"
            lambda = "0"
            """),
        new(9, "C9.excludes-contained-minimiser", Expect.NotProved,
            // balanced W1 = (2,0,0), W2 = (2,0,0)^T: C_1 = 0 and P = 4 e1 e1^T
            """
            id = "redteam.c9u"
            [[network]]
            widths = [3, 1, 3]
            target = "diag(4,2,1)"
            [claim]
            method = "invariant"
            equations = ["C[1]"]
            excludes = "P == s[1] * u[1] * T(v[1])"
            timeout_s = 5
            """),
        new(9, "C9.disjoint-contained-minimiser", Expect.NotProved,
            """
            id = "redteam.c9v"
            [[network]]
            widths = [3, 1, 3]
            target = "diag(4,2,1)"
            [claim]
            method = "disjoint"
            equations = ["C[1]"]
            excludes = "P == s[1] * u[1] * T(v[1])"
            timeout_s = 5
            """),
        new(9, "C9.division-by-the-loss", Expect.Rejected,
            Forall("c9w", "1, 1, 1", "[[3]]", "L / L == 1")),
        new(9, "C9.division-by-let-polynomial", Expect.Rejected,
            Forall("c9x", "1, 1, 1", "[[3]]", "L / c >= 0", "[claim.let]\nc = \"norm2(W1) + 1\"")),
        new(9, "C9.division-by-zero-constant", Expect.Rejected,
            Forall("c9y", "3, 1, 3", "\"diag(3,2,1)\"", "L / (s[2] - 2) >= 0")),
        new(9, "C9.huge-target-is-reachable", Expect.Refuted,
            Forall("c9z", "1, 1, 1", $"[[\"{Big}\"]]", "L > 0"),
            p => L111(p, M([Q(Big)])) <= 0),
        new(9, "C9.huge-target-tiny-bound", Expect.Refuted,
            Forall("c9aa", "1, 1, 1", $"[[\"{Big}\"]]", "L >= 1 / 10^40"),
            p => L111(p, M([Q(Big)])) < Rational.One / Q("10000000000000000000000000000000000000000")),
        new(9, "C9.huge-target-loss-is-non-negative", Expect.NotRefuted,
            Forall("c9ab", "1, 1, 1", $"[[\"{Big}\"]]", "L >= 0")),
        new(9, "C9.huge-exact-point-membership", Expect.NotRefuted,
            // L = 1/2 exactly: target = w1 w2 + 1; in double arithmetic the 1 is lost
            """
            id = "redteam.c9ac"
            [[network]]
            widths = [1, 1, 1]
            target = [["12193263113702179522596860232234857491112"]]
            [network.point]
            W1 = [["123456789012345678901"]]
            W2 = [["98765432109876543211"]]
            [claim]
            method = "membership"
            expr = "L == 1/2"
            """),
        new(9, "C9.huge-exact-point-membership-false", Expect.Refuted,
            """
            id = "redteam.c9ad"
            [[network]]
            widths = [1, 1, 1]
            target = [["12193263113702179522596860232234857491112"]]
            [network.point]
            W1 = [["123456789012345678901"]]
            W2 = [["98765432109876543211"]]
            [claim]
            method = "membership"
            expr = "L < 1/2"
            """),
        new(9, "C9.many-variables-T6-4-1-4", Expect.NotRefuted,
            Forall("c9ae", "4, 1, 4", "\"diag(4,3,2,1)\"", $"L >= {T6}", "", RankOneNormalize)),
        new(9, "C9.many-variables-loss-non-negative", Expect.NotRefuted,
            Forall("c9af", "2, 2, 2", "\"diag(2,1)\"", "L >= 0 and norm2(P) >= 0", timeout: 2)),
        new(9, "C9.many-variables-T6-raw-3-1-3", Expect.NotRefuted,
            Forall("c9ag", "3, 1, 3", "\"diag(3,2,1)\"", "L >= 5/2", timeout: 2)),
        new(9, "C9.many-variables-descent-2-2-2", Expect.NotRefuted,
            Forall("c9ah", "2, 2, 2", "\"diag(2,1)\"", "lie(L) <= 0", timeout: 2)),
    ];

    public static RedTeamCase Get(string name) => All.Single(c => c.Name == name);

    public static IEnumerable<object[]> Of(Expect expect) => All.Where(c => c.Expect == expect).Select(c => new object[] { c.Name });
}
