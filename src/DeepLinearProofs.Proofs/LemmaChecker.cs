using System.Diagnostics;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// Checks a lemma on each of its networks: the claim's method turns the lemma language into a kernel statement (untrusted
/// translation and search), the kernel decides; a loop (<c>each</c>) is one statement per index, conjoined by the kernel.
/// </summary>
public static class LemmaChecker
{
    public static IReadOnlyList<LemmaResult> Check(Lemma lemma, CancellationToken cancel = default) => Check(lemma, CheckOptions.Default(), cancel);

    public static IReadOnlyList<LemmaResult> Check(Lemma lemma, CheckOptions options, CancellationToken cancel = default)
    {
        if (lemma.AllSizes is { } sizes) return [CheckAllSizes(lemma, sizes, options, cancel)];
        var results = new List<LemmaResult>();
        foreach (var network in lemma.Networks)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var outcome = CheckOn(lemma, network, options, cancel);
            clock.Stop();
            results.Add(new LemmaResult(lemma.Id, lemma.Path, lemma.Theory, network.Describe(), lemma.Claim.Method,
                network.Expect ?? lemma.Claim.Expect, outcome, clock.Elapsed) { VacuousAllowed = lemma.Claim.VacuousAllowed });
        }
        return results;
    }

    /// <summary>
    /// An all-sizes lemma: the kernel's word rule on every equation; when that does not prove it, the lemma's instances are
    /// tried, and an instance the kernel refutes with an exact countermodel refutes the claim about all sizes.
    /// </summary>
    private static LemmaResult CheckAllSizes(Lemma lemma, AllSizesSpec sizes, CheckOptions options, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var network = sizes.Describe();
        IReadOnlyList<WordStatement> statements;
        try { statements = AllSizesMethod.Statements(lemma); }
        catch (ClaimException e) { throw new LemmaFileException(lemma.Path, e.Line ?? lemma.Claim.Line, $"{(e.Position > 0 ? $"at column {e.Position + 1} " : "")}at all sizes: {e.Message}"); }
        var header = $"lemma: {lemma.Id}\nnetwork: {network}";
        var parts = statements.Select(s => ProofKernel.Words(s, new KernelSession(null, options.Rlimit ?? lemma.Claim.Rlimit, header))).ToList();
        var verdict = parts.Count == 1 ? parts[0] : ProofKernel.All(parts, $"{parts.Count} equations");
        var files = new List<string>();
        if (verdict.Status is not (Status.Proved or Status.Vacuous))
            foreach (var instance in lemma.Networks)
            {
                cancel.ThrowIfCancellationRequested();
                var outcome = CheckOn(lemma, instance, options, cancel);
                if (outcome.Verdict.Status != Status.Refuted) continue;
                network = $"{network}, refuted at {instance.Describe()}";
                verdict = outcome.Verdict.Explained($"the instance {instance.Describe()} is refuted exactly, so the claim about all sizes is false: {outcome.Verdict.Detail}");
                files.AddRange(outcome.Certificates);
                break;
            }
        if (files.Count == 0 && options.CertificateDirectory is { } dir && verdict.Certificate is { } certificate)
            files.AddRange(WriteCertificate(dir, lemma, sizes.Describe(), certificate));
        return new LemmaResult(lemma.Id, lemma.Path, lemma.Theory, network, lemma.Claim.Method, lemma.Claim.Expect, new CheckOutcome(verdict) { Certificates = files }, clock.Elapsed)
            { VacuousAllowed = lemma.Claim.VacuousAllowed };
    }

    private static CheckOutcome CheckOn(Lemma lemma, NetworkSpec network, CheckOptions options, CancellationToken cancel)
    {
        var claim = lemma.Claim;
        if (network.Point.Count > 0)
        {
            if (claim is IdentityClaim or ForallClaim)
                throw new LemmaFileException(lemma.Path, network.Line, $"[network.point] does not belong to method '{claim.Method}', which is about every point");
            claim = claim with { Point = network.Point };
        }
        if (claim is MembershipClaim && claim.Point.Count == 0)
            throw new LemmaFileException(lemma.Path, network.Line, "method 'membership' needs exact weights: a [claim.point] table or a [network.point] table after this network");
        try
        {
            var model = new NetworkModel(network.Architecture, network.Target);
            var oracle = new SolverOracle(options, lemma.Id, network.Describe(), claim.Timeout, cancel);
            var header = $"lemma: {lemma.Id}\nnetwork: {network.Describe()}";
            KernelSession Session() => new(oracle, options.Rlimit ?? claim.Rlimit, header);
            var (verdict, simulation) = claim is ConvergesClaim converges
                ? ConvergesMethod.Run(converges, network, cancel)
                : (Instances(claim, model, ev => Decide(StatementOf(claim, model, ev), Session())), null);
            var files = oracle.Files.ToList();
            if (options.CertificateDirectory is { } dir && verdict.Certificate is { } certificate)
                files.AddRange(WriteCertificate(dir, lemma, network.Describe(), certificate));
            return new CheckOutcome(verdict) { Certificates = files, Simulation = simulation };
        }
        catch (ClaimException e)
        {
            throw new LemmaFileException(lemma.Path, e.Line ?? claim.Line, $"at column {e.Position + 1} on widths {network.Architecture}: {e.Message}");
        }
        catch (NetworkInputException e)
        {
            throw new LemmaFileException(lemma.Path, network.Line, e.Message);
        }
        catch (ShapeMismatchException e)
        {
            throw new LemmaFileException(lemma.Path, claim.Line, $"shape mismatch on widths {network.Architecture}: {e.Message}");
        }
    }

    /// <summary>The kernel certificate, and beside it the plain-text cofactors of its ideal-membership steps when it has any.</summary>
    private static List<string> WriteCertificate(string dir, Lemma lemma, string network, Certificate certificate)
    {
        var json = CertificateFile.Write(dir, lemma.Path, lemma.Id, network, certificate);
        return CofactorFile.Write(json, lemma.Id, network, certificate) is { } text ? [json, text] : [json];
    }

    /// <summary>One kernel statement per value of the loop variable (a fresh scope each), conjoined by the kernel; an empty loop is vacuous.</summary>
    private static Verdict Instances(Claim claim, NetworkModel model, Func<ClaimEvaluator, Verdict> check)
    {
        ClaimEvaluator Fresh(IReadOnlyDictionary<string, int> bound) => new(model, bound, new ClaimScope(claim.Definitions));
        if (claim.Each is null) return check(Fresh(new Dictionary<string, int>()));
        var root = Fresh(new Dictionary<string, int>());
        var (from, to) = ClaimException.At(claim.Line, () => root.Range(claim.Each.From, claim.Each.To, 0));
        var parts = new List<Verdict>();
        for (int i = from; i <= to; i++)
        {
            var v = check(Fresh(new Dictionary<string, int> { [claim.Each.Variable] = i }));
            parts.Add(v.Status == Status.Proved || v.Status == Status.Vacuous ? v : v.Explained($"for {claim.Each.Variable} = {i}: {v.Detail}"));
        }
        var all = ProofKernel.All(parts, $"{claim.Each.Text} ({Math.Max(0, to - from + 1)} value(s))");
        return to < from ? all.Explained($"{claim.Each.Text} is empty here (from {from} to {to}): nothing was checked") : all;
    }

    /// <summary>
    /// The kernel statements a lemma makes on one network, in the order the kernel checks them (one per loop index), without
    /// checking them: what a kernel replay compares the recorded statements with, and re-translates large identities from.
    /// </summary>
    public static IReadOnlyList<object> Statements(Lemma lemma, string network)
    {
        if (lemma.AllSizes is { } sizes && network == sizes.Describe())
        {
            try { return AllSizesMethod.Statements(lemma); }
            catch (ClaimException e) { throw new LemmaFileException(lemma.Path, e.Line ?? lemma.Claim.Line, e.Message); }
        }
        var spec = lemma.Networks.FirstOrDefault(n => n.Describe() == network) ?? throw new LemmaFileException(lemma.Path, 1, $"the lemma has no network {network}");
        var claim = spec.Point.Count > 0 ? lemma.Claim with { Point = spec.Point } : lemma.Claim;
        var model = new NetworkModel(spec.Architecture, spec.Target);
        var statements = new List<object>();
        Verdict Keep(object s)
        {
            statements.Add(s);
            return Verdict.Unknown("exact", "translated only");
        }
        if (claim is ConvergesClaim) return statements;
        try { _ = Instances(claim, model, ev => Keep(StatementOf(claim, model, ev))); }
        catch (ClaimException e) { throw new LemmaFileException(lemma.Path, e.Line ?? claim.Line, e.Message); }
        return statements;
    }

    /// <summary>The kernel statement of one instance of a claim (the untrusted translation, with the search for certificate data).</summary>
    private static object StatementOf(Claim claim, NetworkModel model, ClaimEvaluator ev) => claim switch
    {
        IdentityClaim c => Identity(c, ev),
        ForallClaim c => ForallMethod.Statement(c, model, ev),
        MembershipClaim c => MembershipMethod.Statement(c, model, ev),
        InvariantClaim c => InvariantMethod.Statement(c, model, ev),
        _ => throw new ArgumentException($"method '{claim.Method}' has no kernel statement"),
    };

    /// <summary>The kernel rule for a statement.</summary>
    private static Verdict Decide(object statement, KernelSession k) => statement switch
    {
        IdentityStatement s => ProofKernel.Identity(s, k),
        ForallStatement s => ProofKernel.Forall(s, k),
        MembershipStatement s => ProofKernel.Membership(s, k),
        InvariantStatement s => ProofKernel.Invariant(s, k),
        _ => throw new ArgumentException($"no kernel rule for {statement.GetType().Name}"),
    };

    /// <summary>The identity's entries, lhs == rhs joined by and, with a witness point for the first difference.</summary>
    private static IdentityStatement Identity(IdentityClaim claim, ClaimEvaluator ev)
    {
        var equations = new List<Equation>();
        void Collect(Expr e)
        {
            if (e is BinaryExpr { Operator: "and" } both) { Collect(both.Left); Collect(both.Right); return; }
            var eq = (BinaryExpr)e;
            var lhs = ev.Evaluate(eq.Left);
            var rhs = ev.Evaluate(eq.Right);
            try { equations.AddRange(IdentityChecker.Equations(lhs, rhs, "")); }
            catch (ShapeMismatchException x) { throw new ClaimException($"shape mismatch: {x.Message}", eq.Position); }
        }
        ClaimException.At(claim.Line, () => { Collect(claim.Expression); return 0; });
        var roots = ev.Scope.Roots;
        return new IdentityStatement(equations, roots, roots.Count == 0 ? IdentityChecker.Witness(equations) : []);
    }
}
