using System.Text.Json;
using System.Text.Json.Nodes;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// Kernel certificates on disk (<c>&lt;lemma&gt;/&lt;network&gt;.kernel.json</c>): the rule, the statement with its certificate data
/// (polynomials as exact term lists, formulas as trees, cofactors, points), and the SMT transcript. <c>dlp recheck --kernel</c>
/// reads them back and replays them with the kernel alone. A damaged file reads as an error, never as a statement.
/// </summary>
public static class CertificateFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Identities with more terms than this are recorded by a SHA-256 digest of their equations instead of the polynomials
    /// (T4 at depth 6 has ~10^5 terms a side); the replay re-translates the lemma file and checks the digest before re-checking.
    /// </summary>
    public const int LargestStoredIdentity = 2_000;

    /// <summary>Where an identity was recorded by digest only: the i-th such statement of the file, in the order the kernel met them.</summary>
    public sealed record IdentityDigest(string Digest);

    public static string Write(string directory, string lemmaPath, string lemma, string network, Certificate certificate)
    {
        var folder = Path.Combine(directory, SolverOracle.Stem(lemma));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"{SolverOracle.Stem(network)}.kernel.json");
        var root = new JsonObject { ["kernel"] = ProofKernel.Version, ["lemma"] = lemma, ["path"] = Path.GetFullPath(lemmaPath), ["network"] = network, ["certificate"] = Encode(certificate) };
        AtomicFile.Write(file, root.ToJsonString(Indented));
        return file;
    }

    /// <summary>Reads a file written by <see cref="Write"/>; throws <see cref="FormatException"/> with the reason otherwise.</summary>
    public static (string Lemma, string Path, string Network, Certificate Certificate) Read(string file)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            return ((string)root["lemma"]!, (string)root["path"]!, (string)root["network"]!, DecodeCertificate(root["certificate"]!));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or KeyNotFoundException or ArgumentException or FormatException)
        {
            throw new FormatException($"{file}: not a kernel certificate ({e.Message})");
        }
    }

    // ----- encoding

    private static JsonObject Encode(Certificate c) => new()
    {
        ["rule"] = c.Rule,
        ["what"] = c.What,
        ["status"] = c.Status.ToString(),
        ["rlimit"] = c.Rlimit,
        ["header"] = c.Header,
        ["statement"] = c.Statement switch
        {
            IdentityStatement s when s.Equations.Sum(e => e.Lhs.TermCount + e.Rhs.TermCount) > LargestStoredIdentity => new JsonObject { ["digest"] = Digest(s) },
            IdentityStatement s => new JsonObject { ["equations"] = Array(s.Equations, e => new JsonObject { ["label"] = e.Label, ["lhs"] = P(e.Lhs), ["rhs"] = P(e.Rhs) }), ["roots"] = Roots(s.Roots), ["witness"] = Points(s.Witness) },
            ForallStatement s => Forall(s),
            // Word statements are recorded by digest with a readable copy; the replay re-translates the lemma and checks the digest.
            WordStatement s => new JsonObject
            {
                ["digest"] = StatementDigest.Of(s), ["scope"] = s.Scope, ["loss"] = s.Loss.ToString(),
                ["field"] = Array(s.Field, f => new JsonObject { ["letter"] = f.Symbol.Name, ["rate"] = f.Rate.ToString() }),
                ["facts"] = Array(s.Facts, f => new JsonObject { ["label"] = f.Label }),
                ["equations"] = Array(s.Equations, e => new JsonObject { ["label"] = e.Label, ["side"] = e.Side.ToString(), ["of"] = e.Of.ToString(), ["rhs"] = e.Rhs.ToString(), ["multiples"] = Multiples(s, e.Combination) }),
                ["generators"] = Array(s.Generators, g => new JsonObject { ["label"] = g.Label, ["g"] = g.G.ToString(), ["multiples"] = Multiples(s, g.Combination) }),
            },
            MembershipStatement s => new JsonObject { ["set"] = L(s.Set), ["roots"] = Roots(s.Roots), ["point"] = Points(s.Point) },
            InvariantStatement s => new JsonObject
            {
                ["field"] = Array(s.Field, f => new JsonObject { ["var"] = f.Variable.Name, ["rate"] = P(f.Rate) }),
                ["equations"] = Array(s.Equations, Gen),
                ["inequalities"] = Array(s.Inequalities, q => new JsonObject
                {
                    ["label"] = q.Label, ["h"] = P(q.H), ["lambda"] = q.Lambda is { } l ? P(l) : null, ["barrier_cofactors"] = Polys(q.BarrierCofactors),
                    ["boundary"] = Array(q.Boundary, Gen), ["h_cofactors"] = Polys(q.HCofactors),
                }),
                ["excludes"] = s.Excludes is { } x ? L(x) : null,
                ["start"] = Points(s.Start),
                ["invariance"] = s.Invariance,
            },
            null => null,
            var other => throw new ArgumentException($"no encoding for {other.GetType().Name}"),
        },
        ["queries"] = Array(c.Queries, q => new JsonObject
        {
            ["name"] = q.Name, ["answer"] = q.Answer, ["text"] = q.Text,
            // [[name, value], ...] like every point: variable names are data, never keys (every key is snake_case).
            ["model"] = q.Model is { } m ? Array(m, kv => new JsonArray(kv.Key, kv.Value.ToString())) : null,
        }),
        ["parts"] = Array(c.Parts, Encode),
    };

    /// <summary>Each multiple as text, "scale * [tr](left (relation) right) * tail", for a reader (the replay re-finds and re-checks them).</summary>
    private static JsonArray Multiples(WordStatement s, IReadOnlyList<WordMultiple> combination) => Array(combination, m =>
    {
        var name = m.Relation < s.Facts.Count ? $"({s.Facts[m.Relation].Label})" : $"({s.Generators[m.Relation - s.Facts.Count].G})";
        static string Factor(Algebra.Words.WordPoly p) => p.TermCount == 1 && p.Terms.First() is var (w, c) && w.IsEmpty && c == Polynomial.One ? "" : $"({p})";
        var placed = string.Join(" ", new[] { Factor(m.Left), name + (m.Transposed ? "^T" : ""), Factor(m.Right) }.Where(x => x.Length > 0));
        return (JsonNode)JsonValue.Create($"{Algebra.Words.WordText.Scalar(m.Scale)} * {(m.Trace ? $"tr({placed})" : $"[{placed}]")}{(m.Tail is { } t ? $" * {t}" : "")}")!;
    });

    /// <summary>The digest a large identity is recorded by (see <see cref="StatementDigest"/>).</summary>
    public static string Digest(IdentityStatement s) => StatementDigest.Of(s);

    private static JsonObject Forall(ForallStatement s) => new()
    {
        ["hypotheses"] = Array(s.Hypotheses, L), ["claim"] = L(s.Claim), ["roots"] = Roots(s.Roots),
        ["reduction"] = s.Reduction is { } r ? new JsonObject { ["widths"] = new JsonArray(r.Widths.Select(w => (JsonNode?)w).ToArray()), ["reduced"] = Forall(r.Reduced), ["normalize"] = r.Normalize } : null,
    };

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> f) => new(items.Select(f).ToArray());
    private static JsonObject Gen(Generator g) => new() { ["label"] = g.Label, ["g"] = P(g.G), ["cofactors"] = Polys(g.Cofactors) };
    private static JsonArray? Polys(IReadOnlyList<Polynomial>? ps) => ps is null ? null : Array(ps, P);
    private static JsonArray Roots(IReadOnlyList<SquareRoot> roots) => Array(roots, r => new JsonObject { ["root"] = r.Root.Name, ["radicand"] = P(r.Radicand), ["guard"] = F(r.Guard) });
    private static JsonArray Points(IReadOnlyList<Assignment> point) => Array(point, a => new JsonArray(a.Variable.Name, a.Value.ToString()));
    private static JsonObject L(Labeled l) => new() { ["label"] = l.Label, ["formula"] = F(l.Formula) };

    private static JsonArray P(Polynomial p) =>
        Array(p.OrderedTerms(), t => new JsonArray(t.Coefficient.ToString(), Array(t.Monomial.SortedFactors(), f => new JsonArray(f.Var.Name, f.Exponent))));

    private static JsonObject F(Formula f) => f switch
    {
        AtomFormula a => new JsonObject { ["rel"] = a.Relation.ToString(), ["p"] = P(a.Polynomial) },
        AndFormula x => new JsonObject { ["and"] = Array(x.Parts, F) },
        OrFormula x => new JsonObject { ["or"] = Array(x.Parts, F) },
        NotFormula x => new JsonObject { ["not"] = F(x.Operand) },
        ImpliesFormula x => new JsonObject { ["implies"] = new JsonArray(F(x.Premise), F(x.Conclusion)) },
        _ => throw new ArgumentException($"no encoding for {f.GetType().Name}"),
    };

    // ----- decoding

    private static Certificate DecodeCertificate(JsonNode n)
    {
        var rule = (string)n["rule"]!;
        var st = n["statement"];
        object? statement = st is null ? null : rule switch
        {
            "identity" or "words" when st["digest"] is { } digest => new IdentityDigest((string)digest!),
            "identity" => new IdentityStatement(List(st["equations"], e => new Equation((string)e["label"]!, DP(e["lhs"]), DP(e["rhs"]))), DRoots(st["roots"]), DPoints(st["witness"])),
            "forall" => DForall(st),
            "membership" => new MembershipStatement(DL(st["set"]), DRoots(st["roots"]), DPoints(st["point"])),
            "invariant" => new InvariantStatement(
                List(st["field"], f => new FieldComponent(Variable.Of((string)f["var"]!), DP(f["rate"]))),
                List(st["equations"], DGen),
                List(st["inequalities"], q => new Inequality((string)q["label"]!, DP(q["h"]), q["lambda"] is { } l ? DP(l) : null, DPolys(q["barrier_cofactors"]),
                    List(q["boundary"], DGen), DPolys(q["h_cofactors"]))),
                st["excludes"] is { } x ? DL(x) : null, DPoints(st["start"]), (bool)st["invariance"]!),
            _ => throw new FormatException($"unknown rule '{rule}'"),
        };
        var queries = List(n["queries"], q => new RecordedQuery((string)q["name"]!, (string)q["text"]!, (string)q["answer"]!,
            q["model"] switch
            {
                JsonArray m => m.ToDictionary(kv => (string)kv![0]!, kv => Rat(kv![1])),
                JsonObject m => m.ToDictionary(kv => kv.Key, kv => Rat(kv.Value)),   // files written before models became lists
                _ => null,
            }));
        return new Certificate(rule, (string?)n["what"], statement, queries, List(n["parts"], DecodeCertificate), Enum.Parse<Status>((string)n["status"]!))
        {
            Rlimit = (long)n["rlimit"]!,
            Header = (string)n["header"]!,
        };
    }

    private static ForallStatement DForall(JsonNode st) => new(List(st["hypotheses"], DL), DL(st["claim"]), DRoots(st["roots"]),
        st["reduction"] is { } r ? new RankOneReduction(List(r["widths"], w => (int)w!), DForall(r["reduced"]!), (bool)r["normalize"]!) : null);

    private static List<T> List<T>(JsonNode? n, Func<JsonNode, T> f) => n!.AsArray().Select(x => f(x!)).ToList();
    private static Generator DGen(JsonNode g) => new((string)g["label"]!, DP(g["g"]), DPolys(g["cofactors"]));
    private static List<Polynomial>? DPolys(JsonNode? n) => n is null ? null : List(n, DP);
    private static List<SquareRoot> DRoots(JsonNode? n) => List(n, r => new SquareRoot(Variable.Of((string)r["root"]!), DP(r["radicand"]), DF(r["guard"]!)));
    private static List<Assignment> DPoints(JsonNode? n) => List(n, a => new Assignment(Variable.Of((string)a[0]!), Rat(a[1])));
    private static Labeled DL(JsonNode? n) => new((string)n!["label"]!, DF(n["formula"]!));

    private static Rational Rat(JsonNode? n) => Rational.TryParse((string)n!, out var r) ? r : throw new FormatException($"'{n}' is not an exact number");

    private static Polynomial DP(JsonNode? n)
    {
        var b = new PolynomialBuilder();
        foreach (var t in n!.AsArray())
            b.AddTerm(Monomial.Of(t![1]!.AsArray().Select(f => (Variable.Of((string)f![0]!), (int)f[1]!))), Rat(t[0]));
        return b.ToPolynomial();
    }

    private static Formula DF(JsonNode n) => n switch
    {
        JsonObject o when o["rel"] is { } rel => Formula.Atom(DP(o["p"]), Enum.Parse<Relation>((string)rel!)),
        JsonObject o when o["and"] is { } a => Formula.And(List(a, DF)),
        JsonObject o when o["or"] is { } a => Formula.Or(List(a, DF)),
        JsonObject o when o["not"] is { } x => Formula.Not(DF(x)),
        JsonObject o when o["implies"] is JsonArray a => Formula.Implies(DF(a[0]!), DF(a[1]!)),
        _ => throw new FormatException($"not a formula: {n.ToJsonString()[..Math.Min(60, n.ToJsonString().Length)]}"),
    };
}
