using DeepLinearProofs.Algebra.Words;
using DeepLinearProofs.Kernel;

namespace DeepLinearProofs.Proofs;

/// <summary>One line of <c>dlp derive --sizes all</c>: what was derived, in matrix notation, and the kernel's all-sizes verdict.</summary>
public sealed record DerivedLine(string Item, string Name, string NameLatex, WordPoly Derived, string Closed, string ClosedLatex, Verdict Verdict, string Scope);

/// <summary>
/// The flow, the end-to-end rate, the conserved quantities, dL/dt and the rank statement for every depth and all widths,
/// derived by the word calculus from L = 1/2||Z - W_N...W_1||^2 and each checked by the kernel's word rule (the same
/// statements as the library's all-sizes lemmas).
/// </summary>
public static class AllSizesDerivation
{
    private sealed record Item(string Theory, string Name, string NameLatex, string Closed, string ClosedLatex, string Lemma);

    private static readonly Item[] Items =
    [
        new("T1", "dW_j/dt", @"\frac{dW_j}{dt}", "W_{N:j+1}^T E W_{j-1:1}^T", @"W_{N:j+1}^{\top} E\, W_{j-1:1}^{\top}",
            "each = \"j = 1..N\"\nexpr = \"flow(W[j]) == T(prod(N, j+1)) * E * T(prod(j-1, 1))\""),
        new("T2", "dP/dt (term j of the chain rule)", @"W_{N:j+1} \frac{dW_j}{dt} W_{j-1:1}", "W_{N:j+1} W_{N:j+1}^T E W_{j-1:1}^T W_{j-1:1}",
            @"W_{N:j+1} W_{N:j+1}^{\top} E\, W_{j-1:1}^{\top} W_{j-1:1}",
            "expr = \"lie(P) == sum(j, 1, N, prod(N, j+1) * T(prod(N, j+1)) * E * T(prod(j-1, 1)) * prod(j-1, 1))\""),
        new("T3", "lie(C_j), C_j = W_{j+1}^T W_{j+1} - W_j W_j^T", @"\frac{d}{dt}\left(W_{j+1}^{\top} W_{j+1} - W_j W_j^{\top}\right)", "0", "0",
            "each = \"j = 1..N-1\"\nexpr = \"lie(C[j]) == 0\""),
        new("T4", "dL/dt (term j of the chain rule)", @"\operatorname{tr}\!\left(\frac{\partial L}{\partial W_j}^{\top} \frac{dW_j}{dt}\right)", "-||dL/dW_j||_F^2",
            @"-\left\| \frac{\partial L}{\partial W_j} \right\|_F^2", "expr = \"lie(L) == -sum(j, 1, N, norm2(grad(W[j])))\""),
    ];

    private const string RankOne = "requires = \"one-neuron\"\n";

    public static IReadOnlyList<DerivedLine> Derive()
    {
        var lines = new List<DerivedLine>();
        foreach (var item in Items.Append(new Item("T5", "(x_1^T P y_1)(x_2^T P y_2) - (x_1^T P y_2)(x_2^T P y_1), d_k = 1", @"\det\begin{pmatrix} x_1^{\top} P y_1 & x_1^{\top} P y_2 \\ x_2^{\top} P y_1 & x_2^{\top} P y_2 \end{pmatrix}",
                     "0", "0", "expr = \"minor2(P) == 0\"")))
        {
            var text = $"id = \"derive.{item.Theory}\"\nsizes = \"all\"\n{(item.Theory == "T5" ? RankOne : "")}[claim]\nmethod = \"identity\"\nexpect = \"holds\"\n{item.Lemma}\n";
            var lemma = LemmaLoader.Parse(text, $"derive {item.Theory}");
            var statement = AllSizesMethod.Statements(lemma).Single();
            var verdict = ProofKernel.Words(statement, new KernelSession(null, 1, $"derive {item.Theory}"));
            var e = statement.Equations.Single();
            var derived = e.Side == WordSide.Given ? e.Of : ProofKernel.LieTerms(e.Of, statement.Field, e.Letter);
            lines.Add(new DerivedLine(item.Theory, item.Name, item.NameLatex, derived, item.Closed, item.ClosedLatex, verdict, statement.Scope));
        }
        return lines;
    }
}
