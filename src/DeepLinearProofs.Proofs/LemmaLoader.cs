using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Simulation;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// Reads lemma files (TOML, one lemma per file) into <see cref="Lemma"/> values. Every problem is a
/// <see cref="LemmaFileException"/> with the file, the 1-based line and what to write instead.
/// </summary>
public static class LemmaLoader
{
    /// <summary>Methods this version can check.</summary>
    public static readonly IReadOnlyList<string> SupportedMethods = ["identity", "forall", "membership", "invariant", "disjoint", "converges"];

    /// <summary>Reductions the forall method knows.</summary>
    public static readonly IReadOnlyList<string> KnownReductions = ["rank-one", "normalize"];

    private static readonly HashSet<string> TopKeys = ["id", "statement", "theory", "assumes", "requires", "sizes", "depth"];
    private static readonly HashSet<string> NetworkKeys = ["widths", "target", "expect"];
    private static HashSet<string> ClaimKeys => [.. CommonClaimKeys, .. MethodKeys.Values.SelectMany(k => k)];
    private static readonly HashSet<string> RateKeys = ["stage", "value", "predicted", "tolerance"];
    private static readonly HashSet<string> InequalityKeys = ["expr", "lambda", "boundary"];

    public static Lemma Load(string path) => Parse(File.ReadAllText(path), path);

    public static Lemma Parse(string text, string path)
    {
        var doc = SyntaxParser.Parse(text, path, false);
        foreach (var d in doc.Diagnostics)
            if (d.Kind == DiagnosticMessageKind.Error)
                throw new LemmaFileException(path, d.Span.Start.Line + 1, $"TOML syntax error: {d.Message}");

        var top = Items(doc.KeyValues, path, TopKeys, "top level");
        string id = RequireString(top, "id", path, 1);
        string statement = OptionalString(top, "statement", path) ?? "";
        string theory = OptionalString(top, "theory", path) ?? "";
        bool requiresOne = false;
        if (top.TryGetValue("requires", out var req))
        {
            // The older spelling of assumes = ["one-neuron"].
            var r = AsString(req, path);
            if (r != "one-neuron") throw new LemmaFileException(path, Line(req), $"unknown requirement '{r}'; the only requirement is \"one-neuron\" (write assumes = [...] with {string.Join(", ", Assumptions.Names)})");
            requiresOne = true;
        }
        List<Assumption>? assumes = null;
        if (top.TryGetValue("assumes", out var asm))
        {
            assumes = [];
            foreach (var name in StringList(asm, path))
            {
                if (!Assumptions.TryParse(name, out var a))
                    throw new LemmaFileException(path, Line(asm), $"unknown assumption '{name}' in assumes; valid names: {string.Join(", ", Assumptions.Names)}");
                if (!assumes.Contains(a)) assumes.Add(a);
            }
            if (assumes.Contains(Assumption.OneNeuron)) requiresOne = true;
            else if (requiresOne) throw new LemmaFileException(path, Line(req!), "requires = \"one-neuron\" contradicts assumes, which does not list \"one-neuron\": keep one of the two");
        }
        else if (requiresOne) assumes = null;

        AllSizesSpec? allSizes = null;
        if (top.TryGetValue("sizes", out var sz))
        {
            if (AsString(sz, path) != "all") throw new LemmaFileException(path, Line(sz), "sizes takes one value, \"all\" (every depth and all widths); leave it out to check the [[network]] instances only");
            int? depth = null;
            int minDepth = 2;
            if (top.TryGetValue("depth", out var dk))
            {
                if (dk.Value is IntegerValueSyntax { Value: >= 2 and <= 64 } iv) depth = (int)iv.Value;
                else if (dk.Value is StringValueSyntax { Value: { } sv } && sv.StartsWith(">=", StringComparison.Ordinal) && int.TryParse(sv[2..].Trim(), out var m) && m is >= 2 and <= 64) minDepth = m;
                else throw new LemmaFileException(path, Line(dk), "depth must be a whole number from 2 to 64, or \">= n\" for every depth from n on (or left out for every depth N >= 2)");
            }
            allSizes = new AllSizesSpec(depth, minDepth);
        }
        else if (top.TryGetValue("depth", out var dk)) throw new LemmaFileException(path, Line(dk), "depth belongs to an all-sizes lemma: add sizes = \"all\", or give [[network]] widths instead");

        var networks = new List<NetworkSpec>();
        KeyValueSyntaxMap? claim = null;
        int claimLine = 1;
        var extras = new ClaimExtras();
        foreach (var table in doc.Tables)
        {
            var name = table.Name?.ToString().Trim() ?? "";
            int line = table.Span.Start.Line + 1;
            if (name == "network" && table is TableArraySyntax)
                networks.Add(ReadNetwork(Items(table.Items, path, NetworkKeys, "[[network]]"), path, line, requiresOne));
            else if (name == "claim" && table is TableSyntax)
            {
                if (claim is not null) throw new LemmaFileException(path, line, "a lemma file has exactly one [claim] table");
                claim = Items(table.Items, path, ClaimKeys, "[claim]");
                claimLine = line;
            }
            else if (name is "claim.hypotheses" or "claim.let" && table is TableSyntax)
            {
                var list = name == "claim.let" ? extras.Definitions : extras.Hypotheses;
                foreach (var kv in table.Items)
                {
                    var named = Named(kv, path);
                    if (list.FirstOrDefault(x => x.Name == named.Name) is { } earlier)
                        throw new LemmaFileException(path, named.Line, $"'{named.Name}' is already defined in [{name}] at line {earlier.Line}; give it another name");
                    list.Add(named);
                }
            }
            else if (name is "claim.point" or "network.point" && table is TableSyntax)
            {
                if (name == "network.point" && networks.Count == 0)
                    throw new LemmaFileException(path, line, "[network.point] must follow the [[network]] it belongs to");
                var point = new Dictionary<string, Rational[,]>();
                foreach (var kv in table.Items)
                {
                    var key = kv.Key?.ToString().Trim() ?? "";
                    if (kv.Value is not ArraySyntax rows) throw new LemmaFileException(path, Line(kv), $"point entry '{key}' must be a matrix, e.g. {key} = [[1, 0], [0, \"1/2\"]]");
                    point[key] = ReadMatrix(rows, path, Line(kv));
                    if (name == "claim.point") extras.Point[key] = (point[key], Line(kv));
                }
                if (name == "network.point") networks[^1] = networks[^1] with { Point = point };
            }
            else if (name == "claim.rate" && table is TableArraySyntax)
                extras.Rates.Add(ReadRate(Items(table.Items, path, RateKeys, "[[claim.rate]]"), path, line));
            else if (name == "claim.inequality" && table is TableArraySyntax)
            {
                var items = Items(table.Items, path, InequalityKeys, "[[claim.inequality]]");
                if (!items.TryGetValue("expr", out var h)) throw new LemmaFileException(path, line, "[[claim.inequality]] needs expr = \"h\" (meaning h >= 0)");
                var lambda = items.TryGetValue("lambda", out var l) ? Named(l, path) : null;
                var boundary = items.TryGetValue("boundary", out var bd) ? SetList(bd, path, "boundary") : [];
                if (lambda is null && boundary.Count == 0)
                    throw new LemmaFileException(path, line, "an inequality needs a certificate: lambda = \"...\" (barrier L_F h >= -lambda h) or boundary = [...] (an invariant set containing S with h = 0)");
                extras.Inequalities.Add(new InequalitySpec(Named(h, path), lambda, boundary, line));
            }
            else
                throw new LemmaFileException(path, line, $"unknown table '{name}'; a lemma file has [[network]] tables, one [claim] table and optionally [claim.hypotheses], [claim.let], [claim.point], [[claim.inequality]], [[claim.rate]]");
        }
        // An all-sizes claim is refuted by an instance only when the instance is one the claim is about.
        if (allSizes is not null)
            foreach (var n in networks)
            {
                if (allSizes.Depth is { } depth && n.Architecture.Depth != depth)
                    throw new LemmaFileException(path, n.Line, $"widths [{n.Architecture}] have depth {n.Architecture.Depth} but the claim is about depth = {depth}: give instances of depth {depth} ({depth + 1} widths)");
                if (requiresOne && !n.Architecture.HasHiddenOneNeuronLayer)
                    throw new LemmaFileException(path, n.Line, $"widths [{n.Architecture}] have a width 1 only at the input or output, but the all-sizes claim is about a hidden one-neuron layer: put the 1 among d_1, ..., d_{{N-1}}");
            }
        if (networks.Count == 0 && allSizes is null) throw new LemmaFileException(path, 1, "no [[network]] table: add one with widths = [...] and target = \"...\" (or sizes = \"all\" for a claim about every size)");
        if (claim is null) throw new LemmaFileException(path, 1, "no [claim] table: add one with method = \"identity\" and expr = \"...\"");
        var read = ReadClaim(claim, path, claimLine, extras);
        if (allSizes is not null && read is InvariantClaim { Equations: var eqs } && eqs.FirstOrDefault(e => e.Each is not null) is { } looped)
            throw new LemmaFileException(path, looped.Line, $"the loop {{ expr = \"{looped.Text}\", each = \"{looped.Each!.Text}\" }} is for [[network]] instances; at all sizes name the layers relative to W[1] and W[N] (write one equation per layer the set names)");
        return new Lemma(path, id, statement, theory, requiresOne, networks, read) { AllSizes = allSizes, Assumes = assumes };
    }

    private static NetworkSpec ReadNetwork(KeyValueSyntaxMap items, string path, int line, bool requiresOne)
    {
        if (!items.TryGetValue("widths", out var widthsKv)) throw new LemmaFileException(path, line, "[[network]] needs widths = [d_0, ..., d_N]");
        if (widthsKv.Value is not ArraySyntax arr) throw new LemmaFileException(path, Line(widthsKv), "widths must be an array of integers, e.g. widths = [3, 2, 1, 2, 3]");
        var widths = new List<int>();
        foreach (var item in arr.Items)
        {
            if (item.Value is not IntegerValueSyntax iv) throw new LemmaFileException(path, Line(widthsKv), "widths must be an array of integers, e.g. widths = [3, 2, 1, 2, 3]");
            if (iv.Value < 1 || iv.Value > Architecture.MaxWidth)
                throw new LemmaFileException(path, Line(widthsKv), $"width {iv.Value} is out of range: widths are whole numbers from 1 to {Architecture.MaxWidth}");
            widths.Add((int)iv.Value);
        }
        Architecture arch;
        try { arch = new Architecture(widths); }
        catch (NetworkInputException e) { throw new LemmaFileException(path, Line(widthsKv), e.Message); }
        if (requiresOne && arch.OneNeuronLayer is null)
            throw new LemmaFileException(path, Line(widthsKv),
                $"this lemma requires a one-neuron layer but widths [{arch}] have none; put a 1 among the widths or drop requires = \"one-neuron\"");

        Target target = new SymbolicTarget();
        if (items.TryGetValue("target", out var targetKv))
        {
            try
            {
                target = targetKv.Value switch
                {
                    StringValueSyntax s => Target.Parse(s.Value ?? ""),
                    ArraySyntax rows => new MatrixTarget(ReadMatrix(rows, path, Line(targetKv))),
                    _ => throw new NetworkInputException("target must be a string (\"symbolic\", \"diag(3,2,1)\", \"data(X=..., Y=...)\") or an array of rows"),
                };
                if (target is DataTarget data) data.Validate(arch); // Z may be irrational: only shapes are checked here
                else target.Matrix(arch);
            }
            catch (NetworkInputException e)
            {
                throw new LemmaFileException(path, Line(targetKv), e.Message);
            }
        }
        Expectation? expect = items.TryGetValue("expect", out var ex) ? ReadExpectation(ex, path) : null;
        return new NetworkSpec(arch, target, line, expect);
    }

    private static Rational[,] ReadMatrix(ArraySyntax rows, string path, int line)
    {
        var list = new List<IReadOnlyList<Rational>>();
        foreach (var row in rows.Items)
        {
            if (row.Value is not ArraySyntax cells) throw new LemmaFileException(path, line, "a matrix target is an array of rows, e.g. target = [[3, 0], [0, 2]]");
            var values = new List<Rational>();
            foreach (var cell in cells.Items)
            {
                values.Add(cell.Value switch
                {
                    IntegerValueSyntax i => (Rational)i.Value,
                    StringValueSyntax s when Rational.TryParse(s.Value ?? "", out var r) => r,
                    FloatValueSyntax f => throw new LemmaFileException(path, line, $"matrix entry {f.Value} is a float: write exact values as strings, e.g. \"3/2\" or \"0.5\""),
                    _ => throw new LemmaFileException(path, line, "matrix entries are integers or exact numbers in strings such as \"3/2\""),
                });
            }
            list.Add(values);
        }
        try { return MatrixLiteral.FromRows(list); }
        catch (NetworkInputException e) { throw new LemmaFileException(path, line, e.Message); }
    }

    private sealed class ClaimExtras
    {
        public List<NamedExpr> Hypotheses { get; } = [];
        public List<NamedExpr> Definitions { get; } = [];
        public Dictionary<string, (Rational[,] Value, int Line)> Point { get; } = [];
        public List<InequalitySpec> Inequalities { get; } = [];
        public List<RateSpec> Rates { get; } = [];
    }

    private static RateSpec ReadRate(KeyValueSyntaxMap items, string path, int line)
    {
        if (!items.TryGetValue("stage", out var st)) throw new LemmaFileException(path, line, "[[claim.rate]] needs stage = \"linear\" | \"plateau\" | \"origin\"");
        var stage = Word(Vocabularies.Stage, st, path);
        double? value = items.TryGetValue("value", out var v) ? Number(v, path) : null;
        bool predicted = items.TryGetValue("predicted", out var p) && (p.Value is BooleanValueSyntax b ? b.Value : throw new LemmaFileException(path, Line(p), "predicted must be true or false"));
        if (value is null == !predicted) throw new LemmaFileException(path, line, "[[claim.rate]] needs exactly one of value = <number> or predicted = true (compare with the theorem's rate)");
        double tol = items.TryGetValue("tolerance", out var t) ? Number(t, path) : 0.01;
        if (!(tol > 0 && tol < 1)) throw new LemmaFileException(path, line, "tolerance is a relative error between 0 and 1, e.g. tolerance = 0.01");
        return new RateSpec(stage, value, predicted, tol, line);
    }

    /// <summary>A word of one of the simulation vocabularies (the same table the CLI uses).</summary>
    private static T Word<T>(Vocabulary<T> vocabulary, KeyValueSyntax kv, string path) where T : struct, Enum
    {
        var text = AsString(kv, path);
        return vocabulary.TryParse(text, out var value) ? value : throw new LemmaFileException(path, Line(kv), $"{kv.Key?.ToString().Trim()} {vocabulary.Unknown(text)}");
    }

    private static double Number(KeyValueSyntax kv, string path) => kv.Value switch
    {
        IntegerValueSyntax i => i.Value,
        FloatValueSyntax f when double.IsFinite(f.Value) => f.Value,
        StringValueSyntax s when Rational.TryParse(s.Value ?? "", out var r) => r.ToDouble(),
        _ => throw new LemmaFileException(path, Line(kv), $"'{kv.Key?.ToString().Trim()}' must be a finite number"),
    };

    private static SimulationSpec ReadSimulation(KeyValueSyntaxMap items, string path, int line, ClaimExtras extras)
    {
        var limitText = RequireString(items, "limit", path, line);
        if (!ExpectedLimit.TryParse(limitText, out var limit))
            throw new LemmaFileException(path, Line(items["limit"]), $"limit must be {ExpectedLimit.Words}; got \"{limitText}\"");
        T Choice<T>(string key, Vocabulary<T> vocabulary, T fallback) where T : struct, Enum =>
            items.TryGetValue(key, out var kv) ? Word(vocabulary, kv, path) : fallback;
        double Num(string key, double fallback) => items.TryGetValue(key, out var kv) ? Number(kv, path) : fallback;
        var spec = new SimulationSpec(OptionalString(items, "init", path), limit, Num("t_max", 50), Num("rtol", 1e-10), Num("atol", 1e-12),
            Choice("integrator", Vocabularies.Integrator, IntegratorChoice.Auto), Choice("precision", Vocabularies.Precision, Precision.Double),
            Choice("reduction", Vocabularies.Reduction, Reduction.Auto), Choice("projection", Vocabularies.Projection, ProjectionChoice.None),
            extras.Rates, line);
        // The fields that do not need the network are checked here, with the key's line.
        try
        {
            if (!(spec.TMax > 0) || !double.IsFinite(spec.TMax)) throw new RequestFieldException(RequestField.TMax, $"must be a positive finite time, got {spec.TMax}");
            SimulationRequest.ValidateTolerances(spec.RelTol, spec.AbsTol, spec.Precision);
        }
        catch (RequestFieldException e)
        {
            string key = SimulationSpec.Key(e.Field);
            throw new LemmaFileException(path, items.TryGetValue(key, out var kv) ? Line(kv) : line, $"{key} {e.Problem}");
        }
        return spec;
    }

    /// <summary>Keys every method accepts, and those of each method; anything else is an error naming the method.</summary>
    private static readonly string[] CommonClaimKeys = ["method", "expr", "expect", "each", "timeout_s", "rlimit", "vacuous"];
    private static readonly Dictionary<string, string[]> MethodKeys = new()
    {
        ["identity"] = ["ansatz", "parameters"],
        ["forall"] = ["reductions"],
        ["membership"] = [],
        ["invariant"] = ["equations", "excludes"],
        ["disjoint"] = ["equations", "excludes"],
        ["converges"] = ["init", "limit", "t_max", "rtol", "atol", "integrator", "precision", "reduction", "projection"],
    };

    private static Claim ReadClaim(KeyValueSyntaxMap items, string path, int line, ClaimExtras extras)
    {
        string method = RequireString(items, "method", path, line);
        if (!SupportedMethods.Contains(method))
            throw new LemmaFileException(path, Line(items["method"]), $"unknown or unsupported method '{method}'; supported: {string.Join(", ", SupportedMethods)}");
        foreach (var (key, kv) in items)
            if (!CommonClaimKeys.Contains(key) && !MethodKeys[method].Contains(key))
                throw new LemmaFileException(path, Line(kv), $"'{key}' does not belong to method \"{method}\"; its keys: {string.Join(", ", CommonClaimKeys.Concat(MethodKeys[method]))}");
        if (extras.Hypotheses.Count > 0 && method != "forall") throw new LemmaFileException(path, extras.Hypotheses[0].Line, "[claim.hypotheses] belongs to method \"forall\"");
        if (extras.Inequalities.Count > 0 && method is not ("invariant" or "disjoint")) throw new LemmaFileException(path, extras.Inequalities[0].Line, "[[claim.inequality]] belongs to methods \"invariant\" and \"disjoint\"");
        if (extras.Rates.Count > 0 && method != "converges") throw new LemmaFileException(path, extras.Rates[0].Line, "[[claim.rate]] belongs to method \"converges\"");
        if (extras.Point.Count > 0 && method is "identity" or "forall") throw new LemmaFileException(path, extras.Point.First().Value.Line, $"[claim.point] does not belong to method \"{method}\", which is about every point");

        bool needsExpr = method is "identity" or "forall" or "membership";
        string text = needsExpr || items.ContainsKey("expr") ? RequireString(items, "expr", path, line) : "0 == 0";
        int exprLine = items.TryGetValue("expr", out var exprKv) ? Line(exprKv) : line;
        Expr expr = Parsed("expr", text, exprLine, path).Expression;
        if (method == "identity" && !IsEquationConjunction(expr))
            throw new LemmaFileException(path, exprLine, "an identity claim is written 'lhs == rhs' (or several joined by 'and'), e.g. expr = \"lie(C[j]) == 0\"");
        var expect = items.TryGetValue("expect", out var ex) ? ReadExpectation(ex, path) : Expectation.Holds;
        IndexRange? each = items.TryGetValue("each", out var eachKv) ? ReadRange(AsString(eachKv, path), path, Line(eachKv)) : null;
        bool vacuousAllowed = false;
        if (items.TryGetValue("vacuous", out var vac))
            vacuousAllowed = AsString(vac, path) switch
            {
                "allowed" => true,
                "not allowed" => false,
                var other => throw new LemmaFileException(path, Line(vac), $"vacuous must be \"allowed\" (a vacuous result then counts as holding) or \"not allowed\", got \"{other}\""),
            };
        var timeout = DeepLinearProofs.Smt.SolverBudget.DefaultWallCap;
        if (items.TryGetValue("timeout_s", out var to))
        {
            if (to.Value is not IntegerValueSyntax { Value: > 0 and <= 3600 } seconds)
                throw new LemmaFileException(path, Line(to), "timeout_s (the wall-clock cap that kills the solver) must be a whole number of seconds between 1 and 3600");
            timeout = TimeSpan.FromSeconds(seconds.Value);
        }
        var rlimit = DeepLinearProofs.Smt.SolverBudget.DefaultRlimit;
        if (items.TryGetValue("rlimit", out var rl))
        {
            if (rl.Value is not IntegerValueSyntax { Value: > 0 } units)
                throw new LemmaFileException(path, Line(rl), "rlimit (Z3's resource limit per obligation) must be a positive whole number, e.g. rlimit = 50000000");
            rlimit = units.Value;
        }
        var point = extras.Point.ToDictionary(kv => kv.Key, kv => kv.Value.Value);
        Claim claim = method switch
        {
            "identity" => new IdentityClaim(text, expr, exprLine, expect)
            {
                Ansatz = items.TryGetValue("ansatz", out var az) ? StringList(az, path).Select(t => Parsed("ansatz", t, Line(az), path)).ToList() : [],
                Parameters = items.TryGetValue("parameters", out var pz) ? Parameters(StringList(pz, path), path, Line(pz)) : [],
            },
            "forall" => ReadForall(items, path, text, expr, exprLine, expect, extras),
            "membership" => new MembershipClaim(text, expr, exprLine, expect),
            "converges" => new ConvergesClaim(text, expr, exprLine, expect, ReadSimulation(items, path, line, extras)),
            _ => ReadInvariant(items, path, line, method == "disjoint", text, expr, exprLine, expect, extras),
        };
        if (claim is InvariantClaim set)
            foreach (var entry in set.Equations.Concat(set.Inequalities.SelectMany(q => q.Boundary)).Where(x => x.Each is not null))
                CheckSetLoop(entry, each, extras, path);
        return claim with { Each = each, Definitions = extras.Definitions, VacuousAllowed = vacuousAllowed, Timeout = timeout, Rlimit = rlimit, Point = point };
    }

    /// <summary>The names an all-sizes claim may use as plain numbers: identifiers that shadow none of the language's names.</summary>
    private static IReadOnlyList<string> Parameters(IReadOnlyList<string> names, string path, int line)
    {
        string[] taken = ["W", "P", "E", "L", "Z", "C", "a", "b", "N", "k", "d", "s", "u", "v", "w", "I", "X", "Y", "Sigma", "Sigmahalf"];
        foreach (var name in names)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z][A-Za-z0-9]*$"))
                throw new LemmaFileException(path, line, $"parameter '{name}' is not a plain name (letters and digits, starting with a letter), e.g. parameters = [\"rho\", \"r\"]");
            if (taken.Contains(name) || System.Text.RegularExpressions.Regex.IsMatch(name, "^W[0-9]+$"))
                throw new LemmaFileException(path, line, $"parameter '{name}' would hide the lemma language's own '{name}'; give it another name");
        }
        return names;
    }

    private static ForallClaim ReadForall(KeyValueSyntaxMap items, string path, string text, Expr expr, int exprLine, Expectation expect, ClaimExtras extras)
    {
        var reductions = items.TryGetValue("reductions", out var red) ? StringList(red, path) : [];
        foreach (var r in reductions)
            if (!KnownReductions.Contains(r))
                throw new LemmaFileException(path, Line(red!), $"unknown reduction '{r}'; known: {string.Join(", ", KnownReductions)}");
        if (reductions.Contains("normalize") && !reductions.Contains("rank-one"))
            throw new LemmaFileException(path, Line(red!), "the normalize reduction rescales (a, b) -> (t a, b/t) and needs \"rank-one\" before it");
        return new ForallClaim(text, expr, exprLine, expect) { Hypotheses = extras.Hypotheses, Reductions = reductions };
    }

    private static InvariantClaim ReadInvariant(KeyValueSyntaxMap items, string path, int line, bool disjointOnly, string text, Expr expr, int exprLine, Expectation expect, ClaimExtras extras)
    {
        var equations = items.TryGetValue("equations", out var eq) ? SetList(eq, path, "equation") : [];
        var excludes = items.TryGetValue("excludes", out var exc) ? Named(exc, path) : null;
        var method = disjointOnly ? "disjoint" : "invariant";
        if (equations.Count == 0 && extras.Inequalities.Count == 0)
            throw new LemmaFileException(path, line, $"method '{method}' needs a set: equations = [...] and/or [[claim.inequality]] tables");
        if (disjointOnly && excludes is null)
            throw new LemmaFileException(path, line, "method 'disjoint' needs excludes = \"...\" (e.g. the global minimiser P == s[1]*u[1]*v[1]')");
        return new InvariantClaim(text, expr, exprLine, expect, disjointOnly) { Equations = equations, Inequalities = extras.Inequalities, Excludes = excludes };
    }

    /// <summary>Names a loop variable of a set's list may not take: the lemma language's own names.</summary>
    private static readonly string[] LanguageNames = ["W", "P", "E", "L", "Z", "C", "a", "b", "N", "k", "d", "s", "u", "v", "w", "I", "X", "Y", "Sigma", "Sigmahalf"];

    /// <summary>
    /// A set's equation or boundary list: strings, or inline tables <c>{ expr = "C[j]", each = "j = 1..N-1" }</c> that stand for
    /// one entry per value of the loop variable, so one list describes the set at every depth.
    /// </summary>
    private static List<NamedExpr> SetList(KeyValueSyntax kv, string path, string name)
    {
        var key = kv.Key?.ToString().Trim() ?? name;
        string usage = $"'{key}' must be an array of strings or of loops {{ expr = \"C[j]\", each = \"j = 1..N-1\" }}";
        if (kv.Value is not ArraySyntax arr) throw new LemmaFileException(path, Line(kv), usage);
        var list = new List<NamedExpr>();
        foreach (var item in arr.Items)
        {
            switch (item.Value)
            {
                case StringValueSyntax s:
                    list.Add(Parsed(name, s.Value ?? "", Line(kv), path));
                    break;
                case InlineTableSyntax table:
                    {
                        int line = table.Span.Start.Line + 1;
                        var fields = new Dictionary<string, string>();
                        foreach (var entry in table.Items)
                        {
                            var field = entry.KeyValue;
                            var fieldKey = field?.Key?.ToString().Trim() ?? "";
                            if (fieldKey is not ("expr" or "each"))
                                throw new LemmaFileException(path, line, $"unknown key '{fieldKey}' in a loop of '{key}'; a loop is {{ expr = \"C[j]\", each = \"j = 1..N-1\" }}");
                            if (field!.Value is not StringValueSyntax v) throw new LemmaFileException(path, line, $"'{fieldKey}' in a loop of '{key}' must be a string in quotes");
                            if (!fields.TryAdd(fieldKey, v.Value ?? "")) throw new LemmaFileException(path, line, $"key '{fieldKey}' appears twice in a loop of '{key}'");
                        }
                        if (!fields.TryGetValue("expr", out var text) || !fields.TryGetValue("each", out var range))
                            throw new LemmaFileException(path, line, $"a loop of '{key}' needs both expr and each, e.g. {{ expr = \"C[j]\", each = \"j = 1..N-1\" }}; write a plain string for one entry");
                        list.Add(Parsed(name, text, line, path) with { Each = ReadRange(range, path, line) });
                        break;
                    }
                default:
                    throw new LemmaFileException(path, Line(kv), usage);
            }
        }
        return list;
    }

    /// <summary>A loop variable of a set's list must not hide a name of the language, a let-definition or the claim's own loop.</summary>
    private static void CheckSetLoop(NamedExpr entry, IndexRange? each, ClaimExtras extras, string path)
    {
        var variable = entry.Each!.Variable;
        if (LanguageNames.Contains(variable))
            throw new LemmaFileException(path, entry.Line, $"the loop variable '{variable}' in '{entry.Text}' would hide the lemma language's own '{variable}'; use another letter, e.g. j or i");
        if (each is not null && each.Variable == variable)
            throw new LemmaFileException(path, entry.Line, $"the loop variable '{variable}' in '{entry.Text}' is already the claim's each variable; use another letter");
        if (extras.Definitions.Any(d => d.Name == variable))
            throw new LemmaFileException(path, entry.Line, $"the loop variable '{variable}' in '{entry.Text}' is also a [claim.let] name; use another letter");
    }

    private static bool IsEquationConjunction(Expr e) => e switch
    {
        BinaryExpr { Operator: "==" } => true,
        BinaryExpr { Operator: "and" } b => IsEquationConjunction(b.Left) && IsEquationConjunction(b.Right),
        _ => false,
    };

    private static NamedExpr Named(KeyValueSyntax kv, string path) => Parsed(kv.Key?.ToString().Trim() ?? "", AsString(kv, path), Line(kv), path);

    private static NamedExpr Parsed(string name, string text, int line, string path)
    {
        try { return new NamedExpr(name, text, ExprParser.Parse(text), line); }
        catch (ExprSyntaxException e) { throw new LemmaFileException(path, line, $"in {name} at column {e.Position + 1}: {e.Message}"); }
    }

    private static List<string> StringList(KeyValueSyntax kv, string path)
    {
        if (kv.Value is not ArraySyntax arr) throw new LemmaFileException(path, Line(kv), $"'{kv.Key?.ToString().Trim()}' must be an array of strings");
        var list = new List<string>();
        foreach (var item in arr.Items)
            list.Add(item.Value is StringValueSyntax s ? s.Value ?? "" : throw new LemmaFileException(path, Line(kv), $"'{kv.Key?.ToString().Trim()}' must be an array of strings"));
        return list;
    }

    private static IndexRange ReadRange(string text, string path, int line)
    {
        var eq = text.IndexOf('=');
        var dots = text.IndexOf("..", StringComparison.Ordinal);
        if (eq < 0 || dots < eq) throw new LemmaFileException(path, line, $"each must look like \"j = 1..N-1\"; got \"{text}\"");
        var variable = text[..eq].Trim();
        if (variable.Length == 0 || !variable.All(char.IsAsciiLetter))
            throw new LemmaFileException(path, line, $"each needs a loop variable made of letters, e.g. \"j = 1..N-1\"; got \"{variable}\"");
        try
        {
            return new IndexRange(variable, ExprParser.Parse(text[(eq + 1)..dots]), ExprParser.Parse(text[(dots + 2)..]), text.Trim());
        }
        catch (ExprSyntaxException e) { throw new LemmaFileException(path, line, $"in each: {e.Message}"); }
    }

    private static Expectation ReadExpectation(KeyValueSyntax kv, string path) => AsString(kv, path) switch
    {
        "holds" => Expectation.Holds,
        "fails" => Expectation.Fails,
        var other => throw new LemmaFileException(path, Line(kv), $"expect must be \"holds\" or \"fails\", got \"{other}\""),
    };

    private sealed class KeyValueSyntaxMap : Dictionary<string, KeyValueSyntax>;

    private static KeyValueSyntaxMap Items(SyntaxList<KeyValueSyntax> list, string path, HashSet<string> allowed, string where)
    {
        var map = new KeyValueSyntaxMap();
        foreach (var kv in list)
        {
            var key = kv.Key?.ToString().Trim() ?? "";
            if (!allowed.Contains(key))
                throw new LemmaFileException(path, Line(kv), $"unknown key '{key}' in {where}; allowed: {string.Join(", ", allowed)}");
            if (!map.TryAdd(key, kv)) throw new LemmaFileException(path, Line(kv), $"key '{key}' appears twice in {where}");
        }
        return map;
    }

    private static int Line(KeyValueSyntax kv) => kv.Span.Start.Line + 1;

    private static string AsString(KeyValueSyntax kv, string path) =>
        kv.Value is StringValueSyntax s ? s.Value ?? "" : throw new LemmaFileException(path, Line(kv), $"'{kv.Key?.ToString().Trim()}' must be a string in quotes");

    private static string RequireString(KeyValueSyntaxMap items, string key, string path, int line) =>
        items.TryGetValue(key, out var kv) ? AsString(kv, path) : throw new LemmaFileException(path, line, $"missing '{key} = \"...\"'");

    private static string? OptionalString(KeyValueSyntaxMap items, string key, string path) =>
        items.TryGetValue(key, out var kv) ? AsString(kv, path) : null;
}
