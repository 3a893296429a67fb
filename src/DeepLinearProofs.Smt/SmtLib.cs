using System.Globalization;
using System.Text;
using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Smt;

/// <summary>
/// Writes obligations as self-contained SMT-LIB2 (QF_NRA) scripts: comments name the lemma, the
/// network, the reductions and each assertion's role; symbols are quoted |...|; negative numbers
/// are written (- n); rationals (/ n.0 d.0).
/// </summary>
public static class SmtLib
{
    /// <summary>The script; with <paramref name="rlimit"/>, <c>(set-option :rlimit N)</c> near the top records its budget.</summary>
    public static string Script(Obligation o, long? rlimit = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"; DeepLinearProofs obligation: {o.Name}");
        sb.AppendLine($"; lemma: {o.Lemma}");
        sb.AppendLine($"; network: {o.Network}");
        foreach (var r in o.Reductions) sb.AppendLine($"; reduction: {r}");
        sb.AppendLine("; proved iff the solver answers unsat");
        sb.AppendLine("(set-option :produce-models true)");
        if (rlimit is long limit) sb.AppendLine($"(set-option :rlimit {limit.ToString(CultureInfo.InvariantCulture)})");
        sb.AppendLine("(set-logic QF_NRA)");
        foreach (var v in o.Variables()) sb.AppendLine($"(declare-fun {Symbol(v.Name)} () Real)");
        foreach (var a in o.Assertions)
        {
            foreach (var line in a.Comment.Split('\n')) sb.AppendLine($"; {line}");
            sb.AppendLine($"(assert {Term(a.Formula)})");
        }
        sb.AppendLine("(check-sat)");
        sb.AppendLine("(get-model)");
        return sb.ToString();
    }

    public static string Symbol(string name) => "|" + name.Replace("|", "_").Replace("\\", "_") + "|";

    public static string Term(Formula f) => f switch
    {
        AtomFormula a => Atom(a),
        AndFormula { Parts.Count: 0 } => "true",
        OrFormula { Parts.Count: 0 } => "false",
        AndFormula { Parts.Count: 1 } x => Term(x.Parts[0]),
        OrFormula { Parts.Count: 1 } x => Term(x.Parts[0]),
        AndFormula x => $"(and {string.Join(" ", x.Parts.Select(Term))})",
        OrFormula x => $"(or {string.Join(" ", x.Parts.Select(Term))})",
        NotFormula x => $"(not {Term(x.Operand)})",
        ImpliesFormula x => $"(=> {Term(x.Premise)} {Term(x.Conclusion)})",
        _ => throw new ArgumentException($"unknown formula {f.GetType().Name}"),
    };

    private static string Atom(AtomFormula a)
    {
        var p = Term(a.Polynomial);
        return a.Relation switch
        {
            Relation.Eq => $"(= {p} 0.0)",
            Relation.Ne => $"(not (= {p} 0.0))",
            Relation.Lt => $"(< {p} 0.0)",
            Relation.Le => $"(<= {p} 0.0)",
            Relation.Gt => $"(> {p} 0.0)",
            _ => $"(>= {p} 0.0)",
        };
    }

    public static string Term(Polynomial p)
    {
        if (p.IsZero) return "0.0";
        var terms = p.OrderedTerms().Select(t => Monomial(t.Coefficient, t.Monomial)).ToList();
        return terms.Count == 1 ? terms[0] : $"(+ {string.Join(" ", terms)})";
    }

    private static string Monomial(Rational c, Monomial m)
    {
        var factors = new List<string>();
        if (!c.IsOne || m.IsOne) factors.Add(Number(c));
        foreach (var (v, e) in m.SortedFactors())
            for (int i = 0; i < e; i++) factors.Add(Symbol(v.Name));
        return factors.Count == 1 ? factors[0] : $"(* {string.Join(" ", factors)})";
    }

    public static string Number(Rational r)
    {
        var abs = r.Abs();
        var text = abs.IsInteger
            ? abs.Numerator.ToString(CultureInfo.InvariantCulture) + ".0"
            : $"(/ {abs.Numerator.ToString(CultureInfo.InvariantCulture)}.0 {abs.Denominator.ToString(CultureInfo.InvariantCulture)}.0)";
        return r.Sign < 0 ? $"(- {text})" : text;
    }
}
