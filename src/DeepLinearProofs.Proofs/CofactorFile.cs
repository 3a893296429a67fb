using System.Globalization;
using System.Text;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// The ideal-membership steps of an invariant-set certificate (docs/theory.md section 6, rule (a)) as plain text for a
/// computer algebra system: <c>&lt;network&gt;.cofactors.txt</c> beside the kernel certificate, every polynomial in SymPy syntax,
/// so <c>L_F g = sum_i q_i g_i</c> can be re-checked outside the tool (<c>tools/recheck-cofactors.py</c>). It is an output of
/// data the kernel already checked, never read back by the tool.
/// </summary>
public static class CofactorFile
{
    /// <summary>The file name beside <c>&lt;network&gt;.kernel.json</c>.</summary>
    public static string PathBeside(string kernelJson) => kernelJson[..^".kernel.json".Length] + ".cofactors.txt";

    /// <summary>Writes the text when the certificate (or a part of it, for a loop) is an invariant set with equations or inequalities; returns the file or null.</summary>
    public static string? Write(string kernelJson, string lemma, string network, Certificate certificate)
    {
        var statements = new List<(InvariantStatement Statement, Status Status, string? What)>();
        void Collect(Certificate c)
        {
            if (c.Statement is InvariantStatement { Invariance: true } s && (s.Equations.Count > 0 || s.Inequalities.Count > 0)) statements.Add((s, c.Status, c.What));
            foreach (var p in c.Parts) Collect(p);
        }
        Collect(certificate);
        var file = PathBeside(kernelJson);
        if (statements.Count == 0)
        {
            if (File.Exists(file)) File.Delete(file);   // left from an earlier run of another claim: it would not match the certificate
            return null;
        }
        AtomicFile.Write(file, Text(lemma, network, statements));
        return file;
    }

    /// <summary>The whole file: a header that says how to read it, then one section per kernel statement.</summary>
    public static string Text(string lemma, string network, IReadOnlyList<(InvariantStatement Statement, Status Status, string? What)> statements)
    {
        var w = new StringBuilder();
        w.AppendLine($"# Ideal-membership certificates of {lemma} on {network}, checked by the DeepLinearProofs kernel {ProofKernel.Version}.");
        w.AppendLine("# Plain text for a computer algebra system: every polynomial is in SymPy syntax (exact rationals p/q, ** for powers).");
        w.AppendLine("# Lines: 'statement N' starts a section (names restart); 'var x = W1[1,1]' names a weight; 'rate x = f' is dx/dt;");
        w.AppendLine("# 'g i = ...' an equation of S, 'h i = ...' an inequality (h >= 0), 'lambda i = ...' its barrier multiplier,");
        w.AppendLine("# 'k i_j = ...' its boundary set; 'check E' (E uses lie(NAME), the Lie derivative sum_x diff(NAME, x) * rate x)");
        w.AppendLine("# is followed by 'cofactor NAME = q' lines and 'end': the claim is expand(E - sum q * NAME) == 0.");
        w.AppendLine("# tools/recheck-cofactors.py FILE re-checks every claim with SymPy.");
        int index = 0;
        foreach (var (s, status, what) in statements)
        {
            index++;
            w.AppendLine();
            w.AppendLine($"statement {index}");
            w.AppendLine($"# kernel status: {status.ToString().ToLowerInvariant()}{(what is { Length: > 0 } ? $" ({what})" : "")}");
            var names = Names(s.Field.Select(f => f.Variable));
            string P(Polynomial p) => Format(p, names);
            foreach (var f in s.Field) w.AppendLine($"var {names[f.Variable]} = {f.Variable.Name}");
            foreach (var f in s.Field) w.AppendLine($"rate {names[f.Variable]} = {P(f.Rate)}");
            var g = s.Equations.Select((e, i) => $"g{i + 1}").ToList();
            for (int i = 0; i < s.Equations.Count; i++) w.AppendLine($"g {i + 1} = {P(s.Equations[i].G)}  # {s.Equations[i].Label} = 0");
            for (int i = 0; i < s.Equations.Count; i++) Check(w, $"lie({g[i]})", s.Equations[i].Cofactors, g, P, $"equation {g[i]}");
            for (int q = 0; q < s.Inequalities.Count; q++)
            {
                var iq = s.Inequalities[q];
                var h = $"h{q + 1}";
                w.AppendLine($"h {q + 1} = {P(iq.H)}  # {iq.Label} >= 0");
                if (iq.Lambda is { } lambda)
                {
                    w.AppendLine($"lambda {q + 1} = {P(lambda)}");
                    Check(w, $"lie({h}) + lambda{q + 1} * {h}", iq.BarrierCofactors, g, P, $"barrier of {h}");
                    continue;
                }
                var k = iq.Boundary.Select((b, j) => $"k{q + 1}_{j + 1}").ToList();
                for (int j = 0; j < iq.Boundary.Count; j++) w.AppendLine($"k {q + 1}_{j + 1} = {P(iq.Boundary[j].G)}  # boundary set of {h}: {iq.Boundary[j].Label} = 0");
                var union = g.Concat(k).ToList();
                Check(w, h, iq.HCofactors, union, P, $"{h} on the boundary set");
                for (int j = 0; j < iq.Boundary.Count; j++) Check(w, $"lie({k[j]})", iq.Boundary[j].Cofactors, union, P, $"boundary equation {k[j]}");
            }
        }
        return w.ToString();
    }

    /// <summary>One claim E = sum q_i n_i; a missing cofactor list is written as a comment (the kernel did not use ideal membership there).</summary>
    private static void Check(StringBuilder w, string lhs, IReadOnlyList<Polynomial>? cofactors, IReadOnlyList<string> generators, Func<Polynomial, string> p, string what)
    {
        if (cofactors is null || cofactors.Count != generators.Count)
        {
            // The kernel accepts a zero left side without cofactors; anything else without them was not an ideal-membership step.
            w.AppendLine($"# {what}: no cofactors recorded (the kernel accepts this only when {lhs} is the zero polynomial)");
            w.AppendLine($"check {lhs}");
            w.AppendLine("end");
            return;
        }
        w.AppendLine($"check {lhs}");
        for (int i = 0; i < generators.Count; i++)
            if (!cofactors[i].IsZero) w.AppendLine($"cofactor {generators[i]} = {p(cofactors[i])}");
        w.AppendLine("end");
    }

    /// <summary>Plain identifiers for the state variables: W1[2,3] becomes W1_2_3 (letters, digits and _ only), made unique.</summary>
    private static Dictionary<Variable, string> Names(IEnumerable<Variable> variables)
    {
        var names = new Dictionary<Variable, string>();
        var taken = new HashSet<string>(["lie", "g", "h", "k", "lambda"], StringComparer.Ordinal);
        foreach (var v in variables)
        {
            var plain = new string(v.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()).Trim('_');
            while (plain.Contains("__", StringComparison.Ordinal)) plain = plain.Replace("__", "_", StringComparison.Ordinal);
            if (plain.Length == 0 || !char.IsAsciiLetter(plain[0])) plain = "x_" + plain;
            var name = plain;
            for (int i = 2; !taken.Add(name); i++) name = $"{plain}_v{i}";
            names[v] = name;
        }
        return names;
    }

    /// <summary>A polynomial in SymPy syntax: terms "c*x**e*y" joined by + and -, exact rationals p/q; 0 for the zero polynomial.</summary>
    public static string Format(Polynomial p, IReadOnlyDictionary<Variable, string> names)
    {
        if (p.IsZero) return "0";
        var s = new StringBuilder();
        foreach (var (m, c) in p.OrderedTerms())
        {
            var magnitude = c.Sign < 0 ? -c : c;
            var factors = m.SortedFactors().Select(f => f.Exponent == 1 ? names[f.Var] : $"{names[f.Var]}**{f.Exponent.ToString(CultureInfo.InvariantCulture)}").ToList();
            string coefficient = magnitude.ToString();
            string term = factors.Count == 0 ? coefficient : magnitude == Rational.One ? string.Join("*", factors) : $"{coefficient}*{string.Join("*", factors)}";
            if (s.Length == 0) s.Append(c.Sign < 0 ? "-" : "").Append(term);
            else s.Append(c.Sign < 0 ? " - " : " + ").Append(term);
        }
        return s.ToString();
    }
}
