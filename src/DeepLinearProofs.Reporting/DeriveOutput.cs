using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Words;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Reporting;

/// <summary>The output of <c>dlp derive</c>: text, LaTeX or JSON.</summary>
public static class DeriveOutput
{
    private static string Check(ExactCheck c) => c.Holds switch { true => "exact: holds", false => "exact: FAILS", null => c.NotCheckedBecause! };

    /// <summary>A comparison whose failure is a finding about the data (T0), not a failed check.</summary>
    private static string Stated(ExactCheck c) => c.Holds == false ? "exact: does not hold" : Check(c);

    private static string Size(LayerFlow f) =>
        f.Flow is { } flow ? $"{f.Rows}x{f.Cols}, {flow.Entries().Sum(p => (long)p.TermCount)} terms" : $"{f.Rows}x{f.Cols}, {f.EntryCount} entries";

    private static string LossLine(FlowDerivation d) => d.Loss is { } loss
        ? $"{loss.TermCount} terms, degree {loss.TotalDegree}"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"not expanded (up to {Num.Sci(d.EstimatedLossTerms, 1)} terms); checks run blockwise, generic blocks around each layer as in 'dlp bench derive --mode blockwise'");

    private static string Header(NetworkModel m)
    {
        var arch = m.Architecture;
        var k = arch.OneNeuronLayer is int kk ? $"one-neuron layer k = {kk}" : "no one-neuron layer";
        var data = m.Target is DataTarget d
            ? d.IsWhitened ? "; data are whitened (X X^T = I): the flow is the Z flow" : "; data are NOT whitened: the flow is preconditioned by Sigma = X X^T, T9-T15 do not transfer"
            : "";
        return $"network: widths {arch} (depth N = {arch.Depth}, {k}); target {m.Target.Describe()}{data}";
    }

    private static string ClosedForm(int j, int n, bool data = false)
    {
        var above = j == n ? "" : $"{Range(n, j + 1)}^T ";
        var below = j == 1 ? "" : $" {Range(j - 1, 1)}^T";
        return $"{above}{(data ? "E_X" : "E")}{below}";
    }

    /// <summary>The loss as the network's target defines it: 1/2||Z - P||^2, or 1/2||Y - P X||^2 for data (T0).</summary>
    private static string LossFormula(NetworkModel m) => m.Target is DataTarget
        ? $"L = 1/2||Y - W{m.Depth}...W1 X||^2"
        : $"L = 1/2||Z - W{m.Depth}...W1||^2";

    /// <summary>For data: which of T1-T5 hold as stated and which only with E replaced by E_X = (Y - P X) X^T.</summary>
    private static IEnumerable<string> DataSummary(FlowDerivation d)
    {
        if (d.Model.Target is not DataTarget data) yield break;
        var forms = d.Flows.Select(f => f.EqualsTargetForm).ToList();
        string asStated = forms.All(c => c?.Holds == true) ? "holds (the data are whitened: E_X = Z - P)"
            : forms.Any(c => c?.Fails == true) ? $"does not hold for layer{(forms.Count(c => c?.Fails == true) > 1 ? "s" : "")} {string.Join(", ", d.Flows.Where(f => f.EqualsTargetForm?.Fails == true).Select(f => f.Layer))} (exact): this flow is not the Z flow"
            : $"not compared ({forms.First(c => c?.Holds is null)?.NotCheckedBecause})";
        yield return $"for these data ({(data.IsWhitened ? "whitened" : "not whitened")}):";
        yield return $"  T1 as stated for a target, E = Z - P with Z = Y X^T Sigma^{{-1/2}}: {asStated}";
        string All(IEnumerable<ExactCheck> checks)
        {
            var list = checks.ToList();
            return list.Any(c => c.Fails) ? "exact: FAILS" : list.All(c => c.Holds == true) ? "exact: holds" : "not checked at this size";
        }
        yield return $"  T1 with E replaced by E_X = (Y - P X) X^T: {All(d.Flows.Select(f => f.EqualsClosedForm))}; T4 (dL/dt = -sum_j ||dL/dW_j||^2): {Check(d.LossRate)}";
        yield return $"  T3 as stated (C_j conserved; the loss depends on the weights only through P): {All(d.Conserved.Select(c => c.LieDerivativeIsZero))}" +
                     (d.Minors is { } minors ? $"; T5 as stated: {Check(minors)}" : "");
    }

    private static string Range(int i, int j) => i == j ? $"W{i}" : $"W_{{{i}:{j}}}";

    /// <summary>The plain-text derivation (the default of <c>dlp derive</c>).</summary>
    public static void Text(FlowDerivation d, TextWriter o, bool entries)
    {
        var m = d.Model;
        int n = m.Depth;
        o.WriteLine(Header(m));
        bool data = m.Target is DataTarget;
        o.WriteLine($"loss: {LossFormula(m)}, {LossLine(d)}");
        o.WriteLine();
        o.WriteLine(data ? "flow, derived by differentiating L (T1 in data form, E_X = (Y - P X) X^T = -dL/dP):" : "flow, derived by differentiating L (T1):");
        foreach (var f in d.Flows)
        {
            var stated = f.EqualsTargetForm is { } form ? $"; with E = Z - P: {Stated(form)}" : "";
            o.WriteLine($"  dW{f.Layer}/dt = {ClosedForm(f.Layer, n, data),-24} [{Size(f)}]  closed form T1: {Check(f.EqualsClosedForm)}{stated}");
            if (!entries || f.Flow is null) continue;
            for (int r = 0; r < f.Flow.Rows; r++)
                for (int c = 0; c < f.Flow.Cols; c++)
                    o.WriteLine($"    dW{f.Layer}[{r + 1},{c + 1}]/dt = {f.Flow[r, c]}");
        }
        o.WriteLine();
        o.WriteLine("conserved quantities C_j = W_{j+1}^T W_{j+1} - W_j W_j^T (T3):");
        foreach (var c in d.Conserved)
        {
            o.WriteLine($"  C{c.Index} ({c.Size}x{c.Size}): lie(C{c.Index}) = 0: {Check(c.LieDerivativeIsZero)}");
            if (c.Value is null)
            {
                o.WriteLine($"    {c.Size * (c.Size + 1L) / 2} entries, up to {c.Terms} terms (print them with --entries)");
                continue;
            }
            for (int r = 0; r < c.Value.Rows; r++)
                for (int s = r; s < c.Value.Cols; s++)
                    o.WriteLine($"    C{c.Index}[{r + 1},{s + 1}] = {c.Value[r, s]}");
        }
        o.WriteLine();
        var rateSize = d.LossRateTerms is not long t ? "" : d.Engine == DerivationMode.Expanded ? $" [{t} terms]" : $" [layer by layer, {t} terms in all]";
        o.WriteLine($"loss rate (T4): dL/dt = -sum_j ||dL/dW_j||^2{rateSize}: {Check(d.LossRate)}");
        o.WriteLine(d.Minors switch
        {
            null => "rank (T5): not applicable, no one-neuron layer",
            var v => $"rank (T5): every 2x2 minor of P is zero: {Check(v.Value)}",
        });
        var summary = DataSummary(d).ToList();
        if (summary.Count == 0) return;
        o.WriteLine();
        foreach (var line in summary) o.WriteLine(line);
    }

    /// <summary>
    /// The derivation as one <c>align*</c> environment (needs amsmath), each checked line tagged with its theory item and
    /// verdict; <paramref name="standalone"/> wraps it in a whole document that pdflatex compiles as it is.
    /// </summary>
    public static void Latex(FlowDerivation d, TextWriter o, bool entries, bool standalone = false)
    {
        int n = d.Model.Depth;
        var lines = new List<string>();
        string Tag(string item, ExactCheck c) => $" && \\text{{{item}: {TextEscape(Check(c))}}}";
        bool data = d.Model.Target is DataTarget;
        if (data) lines.Add("L &= \\tfrac{1}{2}\\|Y - P X\\|_F^2, \\quad E_X = (Y - P X) X^{\\top} = -\\frac{\\partial L}{\\partial P}");
        foreach (var f in d.Flows)
        {
            var above = f.Layer == n ? "" : $"{LatexRange(n, f.Layer + 1)}^{{\\top}} ";
            var below = f.Layer == 1 ? "" : $" {LatexRange(f.Layer - 1, 1)}^{{\\top}}";
            lines.Add($"\\frac{{dW_{{{f.Layer}}}}}{{dt}} &= {above}{(data ? "E_X" : "E")}{below}{Tag("T1, derived by differentiation", f.EqualsClosedForm)}");
            if (f.EqualsTargetForm is { } stated)
                lines.Add($"\\frac{{dW_{{{f.Layer}}}}}{{dt}} &\\overset{{?}}{{=}} {above}(Z - P){below}{$" && \\text{{T1 as stated for a target: {TextEscape(Stated(stated))}}}"}");
            if (!entries || f.Flow is null) continue;
            for (int r = 0; r < f.Flow.Rows; r++)
                for (int c = 0; c < f.Flow.Cols; c++)
                    lines.Add($"\\frac{{d(W_{{{f.Layer}}})_{{{r + 1},{c + 1}}}}}{{dt}} &= {PolynomialLatex.Format(f.Flow[r, c])}");
        }
        foreach (var c in d.Conserved)
        {
            lines.Add($"\\frac{{d}}{{dt}} C_{{{c.Index}}} &= 0, \\quad C_{{{c.Index}}} = W_{{{c.Index + 1}}}^{{\\top}} W_{{{c.Index + 1}}} - W_{{{c.Index}}} W_{{{c.Index}}}^{{\\top}}{Tag("T3", c.LieDerivativeIsZero)}");
            if (c.Value is null) continue;
            for (int r = 0; r < c.Value.Rows; r++)
                for (int s = r; s < c.Value.Cols; s++)
                    lines.Add($"(C_{{{c.Index}}})_{{{r + 1},{s + 1}}} &= {PolynomialLatex.Format(c.Value[r, s])}");
        }
        lines.Add($"\\frac{{dL}}{{dt}} &= -\\sum_{{j=1}}^{{{n}}} \\left\\| \\frac{{\\partial L}}{{\\partial W_j}} \\right\\|_F^2{Tag("T4", d.LossRate)}");
        if (d.Minors is { } minors) lines.Add($"\\text{{every $2 \\times 2$ minor of }} P &= 0{Tag("T5", minors)}");
        if (standalone) o.WriteLine("\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}");
        o.WriteLine($"% {Header(d.Model)}");
        o.WriteLine("\\begin{align*}");
        for (int i = 0; i < lines.Count; i++) o.WriteLine(lines[i] + (i + 1 < lines.Count ? " \\\\" : ""));
        o.WriteLine("\\end{align*}");
        if (standalone) o.WriteLine("\\end{document}");
    }

    /// <summary>Text for \text{...}: the characters LaTeX would read as commands or math, escaped.</summary>
    private static string TextEscape(string t) => string.Concat(t.Select(ch => ch switch
    {
        '\\' => "\\textbackslash{}",
        '^' => "\\^{}",
        '~' => "\\~{}",
        '{' or '}' or '_' or '%' or '&' or '#' or '$' => "\\" + ch,
        _ => ch.ToString(),
    }));

    private static string LatexRange(int i, int j) => i == j ? $"W_{{{i}}}" : $"W_{{{i}:{j}}}";

    public static object JsonModel(FlowDerivation d) => new
    {
        widths = d.Model.Architecture.Widths,
        one_neuron_layer = d.Model.Architecture.OneNeuronLayer,
        target = d.Model.Target.Describe(),
        loss_formula = LossFormula(d.Model),
        data_descent_direction = d.Model.Target is DataTarget ? "E_X = (Y - P X) X^T" : null,
        loss = d.Loss?.ToString(),
        loss_terms_estimate = d.EstimatedLossTerms,
        engine = d.Engine.ToString().ToLowerInvariant(),
        basis = "exact",
        flows = d.Flows.Select(f => new
        {
            layer = f.Layer,
            closed_form = ClosedForm(f.Layer, d.Model.Depth, d.Model.Target is DataTarget),
            equals_closed_form = f.EqualsClosedForm.Holds,
            equals_target_form = f.EqualsTargetForm?.Holds,
            not_checked = f.EqualsClosedForm.NotCheckedBecause,
            entry_count = f.EntryCount,
            entries = Rows(f.Flow),
        }),
        conserved = d.Conserved.Select(c => new { index = c.Index, lie_derivative_is_zero = c.LieDerivativeIsZero.Holds, not_checked = c.LieDerivativeIsZero.NotCheckedBecause, terms = c.Terms, entries = Rows(c.Value) }),
        loss_rate = new { terms = d.LossRateTerms, equals_minus_sum_of_squared_gradients = d.LossRate.Holds, not_checked = d.LossRate.NotCheckedBecause },
        minors_vanish = d.Minors?.Holds,
        minors_not_checked = d.Minors?.NotCheckedBecause,
    };

    private static string[][]? Rows(PolyMatrix? m) => m is null ? null :
        Enumerable.Range(0, m.Rows).Select(r => Enumerable.Range(0, m.Cols).Select(c => m[r, c].ToString()).ToArray()).ToArray();

    public static string Json(FlowDerivation d) => JsonOutput.Serialize(JsonModel(d));
}

/// <summary>The output of <c>dlp derive --sizes all</c>: matrix notation, each line with its all-sizes verdict.</summary>
public static class AllSizesDeriveOutput
{
    private static string Verdict(DerivedLine l) => $"{l.Verdict.Status.ToString().ToLowerInvariant()} ({l.Verdict.Basis})";

    public static void Text(IReadOnlyList<DerivedLine> lines, TextWriter o)
    {
        o.WriteLine("every depth N >= 2 and all widths d_0..d_N; L = 1/2||Z - P||^2, P = W_{N:j+1} W_j W_{j-1:1}, E = Z - P;");
        o.WriteLine("W_{N:j+1} and W_{j-1:1} are blocks standing for any products of layers (the identity at j = N, j = 1)");
        foreach (var l in lines)
        {
            o.WriteLine();
            o.WriteLine($"{l.Item}  {l.Name}");
            o.WriteLine($"    derived  = {l.Derived}");
            o.WriteLine($"    claimed  = {l.Closed}");
            o.WriteLine($"    {Verdict(l)}: {l.Verdict.Detail}");
        }
    }

    /// <summary>One align* environment (needs amsmath), each line tagged with its theory item and verdict.</summary>
    public static void Latex(IReadOnlyList<DerivedLine> lines, TextWriter o, bool standalone = false)
    {
        if (standalone) o.WriteLine("\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}");
        o.WriteLine("% every depth N >= 2 and all widths; W_{N:j+1}, W_{j-1:1} are blocks; derived by the word calculus, checked by the kernel");
        o.WriteLine("\\begin{align*}");
        for (int i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            o.WriteLine($"{l.NameLatex} &= {WordText.Latex(l.Derived)} \\\\");
            o.WriteLine($"  &= {l.ClosedLatex} && \\text{{{l.Item}: {Verdict(l)}}}{(i + 1 < lines.Count ? " \\\\" : "")}");
        }
        o.WriteLine("\\end{align*}");
        if (standalone) o.WriteLine("\\end{document}");
    }

    public static string Json(IReadOnlyList<DerivedLine> lines) => JsonOutput.Serialize(new
    {
        sizes = "all",
        lines = lines.Select(l => new
        {
            theory = l.Item, name = l.Name, derived = l.Derived.ToString(), derived_latex = WordText.Latex(l.Derived), claimed = l.Closed,
            status = l.Verdict.Status.ToString().ToLowerInvariant(), basis = l.Verdict.Basis, detail = l.Verdict.Detail, scope = l.Scope,
        }),
    });
}
