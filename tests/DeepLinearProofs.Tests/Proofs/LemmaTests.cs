using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using Xunit;

namespace DeepLinearProofs.Tests.Proofs;

public class LemmaTests
{
    private const string Header = "id = \"t\"\ntheory = \"T3\"\n";

    private static string Lemma(string networks, string claim) => Header + networks + "\n[claim]\nmethod = \"identity\"\n" + claim;

    private static IReadOnlyList<LemmaResult> Check(string text) => LemmaChecker.Check(LemmaLoader.Parse(text, "mem.toml"));

    private static LemmaFileException Bad(string text) =>
        Assert.Throws<LemmaFileException>(() => LemmaChecker.Check(LemmaLoader.Parse(text, "bad.toml")));

    [Fact]
    public void A_true_identity_is_proved_exactly()
    {
        var results = Check(Lemma("[[network]]\nwidths = [2, 1, 2]\n", "each = \"j = 1..N-1\"\nexpr = \"lie(C[j]) == 0\"\n"));
        var r = Assert.Single(results);
        Assert.Equal(Status.Proved, r.Outcome.Status);
        Assert.Equal("exact", r.Outcome.Basis);
        Assert.True(r.AsExpected);
    }

    [Theory]
    [InlineData("lie(L) == sum(i, 1, N, norm2(grad(W[i])))")]      // flipped sign of T4
    [InlineData("lie(C[1]) == 1")]                                   // wrong constant
    [InlineData("flow(W[1]) == T(W[2]) * Z")]                        // drops the P term of E
    public void A_false_identity_is_refuted_with_a_witness_that_exact_evaluation_confirms(string claim)
    {
        var lemma = LemmaLoader.Parse(Lemma("[[network]]\nwidths = [2, 1, 2]\ntarget = \"diag(3,2)\"\n", $"expr = \"{claim}\"\n"), "mem.toml");
        var r = Assert.Single(LemmaChecker.Check(lemma));
        Assert.Equal(Status.Refuted, r.Outcome.Status);
        Assert.False(r.AsExpected);
        var witness = Assert.IsType<Countermodel>(r.Outcome.Witness);
        Assert.False(witness.Difference!.Value.IsZero);
        // Re-evaluate lhs - rhs at the witness independently of the checker.
        var model = new DeepLinearProofs.Networks.NetworkModel(lemma.Networks[0].Architecture, lemma.Networks[0].Target);
        var eq = (DeepLinearProofs.Algebra.Syntax.BinaryExpr)lemma.Claim.Expression;
        var ev = new ClaimEvaluator(model, new Dictionary<string, int>());
        var lhs = ev.Evaluate(eq.Left);
        var rhs = ev.Evaluate(eq.Right);
        var point = witness.Point.ToDictionary(p => p.Variable, p => p.Value);
        var values = Enumerable.Range(0, lhs.Rows).SelectMany(i => Enumerable.Range(0, lhs.Cols).Select(j =>
            (lhs[i, j] - (rhs.IsScalar ? rhs[0, 0] : rhs[i, j])).Evaluate(v => point.GetValueOrDefault(v, Rational.Zero)))).ToList();
        Assert.Contains(values, v => !v.IsZero);
    }

    [Fact]
    public void A_negative_lemma_that_is_refuted_counts_as_expected()
    {
        var r = Assert.Single(Check(Lemma("[[network]]\nwidths = [2, 2, 2]\n", "expr = \"minor2(P) == 0\"\nexpect = \"fails\"\n")));
        Assert.Equal(Status.Refuted, r.Outcome.Status);
        Assert.True(r.AsExpected);
        Assert.NotNull(r.Outcome.Witness);
    }

    [Fact]
    public void A_negative_lemma_that_is_proved_is_a_failure()
    {
        var r = Assert.Single(Check(Lemma("[[network]]\nwidths = [2, 1, 2]\n", "expr = \"minor2(P) == 0\"\nexpect = \"fails\"\n")));
        Assert.Equal(Status.Proved, r.Outcome.Status);
        Assert.False(r.AsExpected);
        Assert.Equal(1, new VerifyReport([r], []).ExitCode);
    }

    [Fact]
    public void Toml_syntax_errors_name_the_line() =>
        Assert.Equal(3, Bad(Header + "widths = \n").Line);

    [Fact]
    public void Unknown_names_name_the_expr_line_and_column()
    {
        var e = Bad(Lemma("[[network]]\nwidths = [2, 1, 2]\n", "expr = \"lie(Q) == 0\"\n"));
        Assert.Equal(8, e.Line);
        Assert.Contains("unknown name 'Q'", e.Message);
        Assert.Contains("column 5", e.Message);
        Assert.StartsWith("bad.toml:8: ", e.OneLine);
    }

    [Theory]
    [InlineData("lie(C[7]) == 0", "C[7] is out of range")]
    [InlineData("W[0] == 0", "W[0] is out of range")]
    [InlineData("W1[3,1] == 0", "out of range")]
    [InlineData("W1 + W2 == 0", "shape mismatch")]
    [InlineData("W1 * W1 == 0", "shape mismatch")]
    [InlineData("foo(P) == 0", "unknown function 'foo'")]
    public void Bad_claims_are_one_line_errors(string claim, string message) =>
        Assert.Contains(message, Bad(Lemma("[[network]]\nwidths = [2, 1, 2]\n", $"expr = \"{claim}\"\n")).Message);

    [Fact]
    public void A_one_neuron_claim_on_widths_without_one_is_an_error_at_the_widths_line()
    {
        var e = Bad(Header + "requires = \"one-neuron\"\n[[network]]\nwidths = [3, 2, 3]\n[claim]\nmethod = \"identity\"\nexpr = \"minor2(P) == 0\"\n");
        Assert.Equal(5, e.Line);
        Assert.Contains("requires a one-neuron layer", e.Message);
        var k = Bad(Lemma("[[network]]\nwidths = [3, 2, 3]\n", "expr = \"norm2(a) == 0\"\n"));
        Assert.Contains("no one-neuron layer", k.Message);
    }

    [Theory]
    [InlineData("[[network]]\nwidths = [2, 1, 2]\n[claim]\nmethod = \"guess\"\nexpr = \"P == P\"\n", "unsupported method 'guess'")]
    [InlineData("[[network]]\nwidths = [2, 1, 2]\ncolour = \"red\"\n[claim]\nmethod = \"identity\"\nexpr = \"P == P\"\n", "unknown key 'colour'")]
    [InlineData("[[network]]\nwidths = [2, 1, 2]\ntarget = \"diag(3,2,1)\"\n[claim]\nmethod = \"identity\"\nexpr = \"P == P\"\n", "at most 2")]
    [InlineData("[[network]]\nwidths = [2, 1, 2]\n[claim]\nmethod = \"identity\"\nexpr = \"P\"\n", "lhs == rhs")]
    [InlineData("[claim]\nmethod = \"identity\"\nexpr = \"P == P\"\n", "no [[network]]")]
    [InlineData("[[network]]\nwidths = [2, 1, 2]\n[claim]\nmethod = \"identity\"\nexpr = \"P == P\"\nexpect = \"maybe\"\n", "holds\" or \"fails")]
    public void Malformed_files_are_explained(string body, string message) =>
        Assert.Contains(message, Bad(Header + body).Message);

    [Fact]
    public void One_bad_file_does_not_stop_the_library()
    {
        var dir = Directory.CreateTempSubdirectory("dlp-lib");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "good.toml"), Lemma("[[network]]\nwidths = [2, 1, 2]\n", "expr = \"minor2(P) == 0\"\n"));
            File.WriteAllText(Path.Combine(dir.FullName, "bad.toml"), Header + "widths = [\n");
            var report = LemmaLibrary.Verify([dir.FullName]);
            Assert.Single(report.Results);
            Assert.True(report.Results[0].AsExpected);
            var error = Assert.Single(report.Errors);
            Assert.Matches(@"bad\.toml:\d+: TOML syntax error", error);
            Assert.Equal(2, report.ExitCode);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}

public class ConvergesLemmaTests
{
    private static string Write(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dlp-conv-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, text);
        return path;
    }

    private const string Header = "id = \"t\"\nstatement = \"s\"\n\n[[network]]\nwidths = [3, 1, 3]\ntarget = \"diag(3,2,1)\"\n\n";

    [Fact]
    public void A_wrong_limit_is_contradicted_by_the_simulation_and_a_right_one_is_only_supported()
    {
        var wrong = DeepLinearProofs.Proofs.LemmaLoader.Load(Write(Header + "[claim]\nmethod = \"converges\"\ninit = \"balanced:sigma=1/8,x=0;1;0,y=0;1;0\"\nlimit = \"global minimiser\"\nt_max = 30\n"));
        var r = DeepLinearProofs.Proofs.LemmaChecker.Check(wrong).Single();
        Assert.Equal(DeepLinearProofs.Kernel.Status.Contradicted, r.Outcome.Status);
        Assert.False(r.AsExpected);
        Assert.Contains("found saddle 2", r.Outcome.Detail);
        var right = DeepLinearProofs.Proofs.LemmaLoader.Load(Write(Header + "[claim]\nmethod = \"converges\"\ninit = \"balanced:sigma=1/8,x=0;1;0,y=0;1;0\"\nlimit = \"saddle 2\"\nt_max = 30\n"));
        var ok = DeepLinearProofs.Proofs.LemmaChecker.Check(right).Single();
        Assert.Equal(DeepLinearProofs.Kernel.Status.Supported, ok.Outcome.Status);   // never Proved
        Assert.StartsWith("evidence: numeric", ok.Outcome.Basis);
    }

    [Fact]
    public void A_wrong_expected_rate_is_contradicted()
    {
        var lemma = DeepLinearProofs.Proofs.LemmaLoader.Load(Write(Header +
            "[claim]\nmethod = \"converges\"\ninit = \"balanced:sigma=1/2,x=1;1;1,y=1;1;1\"\nlimit = \"global minimiser\"\nt_max = 30\n\n[[claim.rate]]\nstage = \"linear\"\nvalue = 1.2\ntolerance = 0.01\n"));
        var r = DeepLinearProofs.Proofs.LemmaChecker.Check(lemma).Single();
        Assert.Equal(DeepLinearProofs.Kernel.Status.Contradicted, r.Outcome.Status);
        Assert.Contains("OUTSIDE", r.Outcome.Detail);
    }

    [Theory]
    [InlineData("[claim]\nmethod = \"converges\"\nlimit = \"somewhere\"\n", 10, "limit must be")]
    [InlineData("[claim]\nmethod = \"converges\"\nlimit = \"origin\"\nprecision = \"quad\"\n", 11, "precision must be one of")]
    [InlineData("[claim]\nmethod = \"identity\"\nexpr = \"P == P\"\nlimit = \"origin\"\n", 11, "does not belong to method \\\"identity\\\"")]
    [InlineData("[claim]\nmethod = \"converges\"\nlimit = \"origin\"\n\n[[claim.rate]]\nstage = \"linear\"\n", 12, "exactly one of value")]
    public void Malformed_converges_claims_name_the_line(string claim, int line, string expected)
    {
        var path = Write(Header + claim);
        var e = Assert.Throws<DeepLinearProofs.Proofs.LemmaFileException>(() => DeepLinearProofs.Proofs.LemmaLoader.Load(path));
        Assert.Equal(line, e.Line);
        Assert.Contains(expected.Replace("\\\"", "\""), e.Message);
    }
}
