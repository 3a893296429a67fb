using System.Globalization;
using System.Text.RegularExpressions;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting.Documents;

namespace DeepLinearProofs.Reporting;

/// <summary>
/// <c>dlp examples</c>: the necessity examples E1-E6 (docs/theory.md, section 6) as a report for a paper's supplement: the condition
/// each breaks (quoted), its certificate steps with the kernel's verdicts, its trajectories (numerical evidence) and a figure,
/// in HTML, Markdown, LaTeX and JSON, all rendered from one <see cref="Document"/>.
/// </summary>
public static class ExamplesReport
{
    /// <summary>The formats, in the order they are written.</summary>
    public static IReadOnlyList<string> Formats => DocumentFiles.Formats;

    public const string Stem = "examples";

    /// <summary>Where the parts of a run came from, for the preface.</summary>
    public sealed record Sources(string Library, string? TheoryDocument);

    /// <summary>Builds the document (figures rendered) for the examples; file paths in it are relative to <paramref name="outDir"/>.</summary>
    public static Document Build(IReadOnlyList<NecessityExample> examples, string outDir, Sources sources)
    {
        var blocks = new List<Block>
        {
            new Paragraph(R.L(
                R.T("Each necessity example of the theory document (section 6) is regenerated from the lemma library: every lemma file whose "), R.C("theory"),
                R.T(" key names the example is checked. Certificate steps carry the proof kernel's verdict and the basis of that step ("), R.C("exact"),
                R.T(": exact rational arithmetic, e.g. cofactors multiplied out; "), R.C("smt:z3"), R.T(": an SMT-LIB obligation the kernel wrote, answered unsat). "),
                R.T("Trajectories are "), R.B("numerical evidence"), R.T(", never proofs: their limits, rates and escape times are labelled so wherever they appear. "),
                R.T($"Lemma library: "), R.F(Shown(sources.Library)), R.T("; theory document: "), R.F(sources.TheoryDocument is { } t ? Shown(t) : "not found"),
                R.T($"; proof kernel {ProofKernel.Version}. Certificate files are relative to this document's folder; "), R.C("dlp recheck --kernel certificates"),
                R.T(" replays them with the kernel alone."))),
        };
        foreach (var ex in examples) blocks.Add(Example(ex, outDir));
        return new Document(Stem, $"Necessity examples {string.Join(", ", examples.Select(e => e.Item))}", blocks) { Data = Data(examples, outDir) };
    }

    /// <summary>Writes the formats asked for (html, md, latex, json); returns the files written (see <see cref="DocumentFiles.Write"/>).</summary>
    public static IReadOnlyList<string> Write(Document doc, string outDir, IReadOnlyCollection<string> formats) => DocumentFiles.Write(doc, outDir, formats);

    // ------------------------------------------------------------------ one example

    private static Section Example(NecessityExample ex, string outDir)
    {
        var blocks = new List<Block>();
        var title = new List<Run> { R.T($"{ex.Item}. ") };
        if (ex.Quote is { } q)
        {
            title.AddRange(TheoryRuns(q.Condition));
            blocks.Add(new Quote(TheoryRuns(q.Statement), q.Source.Replace(q.Source.Split(", section")[0], Shown(q.Source.Split(", section")[0]))));
        }
        else title.Add(R.T("(condition not quoted)"));
        var letters = ex.Simulations.Select((s, i) => RunName(ex.Item, i)).ToList();
        if (ex.Steps.Count > 0 || ex.Simulations.Count > 0) blocks.Add(Certificate(ex, letters, outDir));
        if (ex.Simulations.Count > 0) blocks.Add(Trajectories(ex, letters));
        if (ex.Problems.Count > 0)
            blocks.Add(new Section($"{ex.Item}-problems", R.L(R.T("Not regenerated")), [new ItemList(ex.Problems.Select(p => R.L(R.T(p))).ToList())]));
        return new Section(ex.Item, title, blocks);
    }

    /// <summary>A path as the reader's working directory sees it: relative when it is below it.</summary>
    public static string Shown(string path)
    {
        var rel = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetFullPath(path));
        return (rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? Path.GetFullPath(path) : rel).Replace('\\', '/');
    }

    private static string RunName(string item, int i) => $"{item}.{i + 1}";

    /// <summary>Certificates with more steps than this are tabulated by lemma and kind of step (the JSON keeps every step).</summary>
    public const int StepsInFull = 40;

    /// <summary>What a kind of certificate step shows, for the condensed table; other kinds keep the first step's own words.</summary>
    private static string KindSentence(string kind, string first) => kind switch
    {
        "equation" => "Each equation of S is invariant: its Lie derivative is a combination of the equations, cofactors multiplied out",
        "inequality" => "Each inequality of S is kept (barrier, or an invariant boundary set)",
        "disjoint" => "S contains no global minimiser",
        "start" => "The exact start lies in S",
        _ => Sentence(first),
    };

    private static Section Certificate(NecessityExample ex, IReadOnlyList<string> runs, string outDir)
    {
        var rows = new List<IReadOnlyList<IReadOnlyList<Run>>>();
        // Over StepsInFull steps (one lemma on ten networks gives a hundred), the table has one row per lemma and kind of step,
        // with how many steps and networks it covers; every step, with its cofactors and files, stays in the JSON.
        bool condensed = ex.Steps.Count > StepsInFull;
        if (condensed)
            foreach (var g in ex.Steps.GroupBy(s => (s.Lemma, s.Kind)))
            {
                var steps = g.ToList();
                var networks = steps.Select(s => s.Network).Distinct().ToList();
                var worst = steps.FirstOrDefault(s => !s.Settled) ?? steps[0];
                var files = steps.SelectMany(s => s.Files).Distinct().ToList();
                var dirs = files.Select(f => Path.GetDirectoryName(Relative(f, outDir))?.Replace('\\', '/') ?? "").Distinct().ToList();
                var what = new List<Run> { R.T(KindSentence(g.Key.Kind, steps[0].What)), R.T($" ({steps.Count} step{(steps.Count == 1 ? "" : "s")} on {networks.Count} network{(networks.Count == 1 ? "" : "s")}: {string.Join("; ", networks.Select(n => n.Split(" | ")[0]))})") };
                rows.Add([what, R.L(R.C(g.Key.Lemma)), R.L(Verdict(worst.Status, worst.Expected), R.T(steps.All(s => s.Settled) ? $" ({steps.Count} of {steps.Count})" : $" ({steps.Count(s => s.Settled)} of {steps.Count})")),
                    R.L(R.C(string.Join(", ", steps.Select(s => s.Basis).Distinct()))), R.L(R.T($"{files.Count} file(s) in "), R.F(string.Join(", ", dirs.Take(3)) + (dirs.Count > 3 ? ", ..." : "")))]);
            }
        foreach (var s in condensed ? [] : ex.Steps)
        {
            var what = new List<Run> { R.T(Sentence(s.What)) };
            if (s.Cofactors.Count > 0)
            {
                what.Add(R.T("; "));
                what.Add(R.M("L_F g = \\sum_i q_i g_i"));
                what.Add(R.T(" with "));
                for (int i = 0; i < s.Cofactors.Count; i++)
                {
                    if (i > 0) what.Add(R.T(", "));
                    var c = s.Cofactors[i];
                    what.Add(R.T("q = "));
                    what.Add(c.Q.TermCount <= 3 ? R.M(PolynomialLatex.Format(c.Q)) : R.T($"({c.Q.TermCount} terms, in the JSON and the kernel certificate)"));
                    what.Add(R.T(" at "));
                    what.Add(R.C(c.Generator));
                }
            }
            else if (s.Kind == "equation" && s.Status == Kernel.Status.Proved) what.Add(R.T("; L_F g = 0 identically"));
            if (s.Boundary.Count > 0) what.Add(R.T($"; boundary set K = {{{string.Join(", ", s.Boundary)} = 0}}, itself invariant"));
            if (s.Kind == "start" && s.Start is { } start) { what.Add(R.T(": ")); what.Add(R.C(start)); }
            rows.Add([what, R.L(R.C(s.Lemma), R.T($" on {s.Network}")), R.L(Verdict(s.Status, s.Expected)), R.L(R.C(s.Basis)), Files(s.Files, outDir)]);
        }
        for (int i = 0; i < ex.Simulations.Count; i++)
        {
            var s = ex.Simulations[i];
            if (s.Role != SimulationRole.Lemma) continue;
            rows.Add([R.L(R.T($"limit of trajectory {runs[i]}: {s.Report.Classification.Describe()} ({s.Report.Classification.Basis})")),
                R.L(R.C(s.Lemma), R.T($" on {s.Network}")), R.L(Verdict(s.Status, s.Expected)), R.L(R.C(s.Basis)), R.L(R.T("numerical evidence; see the figure"))]);
        }
        var proved = ex.Steps.Count(s => s.Settled);
        var caption = R.L(R.T($"{ex.Item}: certificate steps ({proved} of {ex.Steps.Count} settled by the kernel{(condensed ? "; one row per lemma and kind of step, every step with its cofactors and files in the JSON" : "")}) and, beside them, the limits the trajectories reach, which are numerical evidence."));
        var intro = ex.Steps.Count == 0
            ? new Paragraph(R.L(R.T("No certificate lemma in the library names this example: everything below is "), R.B("numerical evidence"), R.T(".")))
            : new Paragraph(R.L(R.T("A certificate is a closed set S = {G = 0} ∩ {h ≥ 0}: each equation's Lie derivative lies in the ideal of the equations (explicit cofactors, multiplied out by the kernel), each inequality is kept by a barrier or by an invariant boundary set, S contains no global minimiser (SMT), and the exact start lies in S (exact evaluation).")));
        var sets = ex.Steps.Where(s => s.Set is not null).Select(s => (s.Lemma, s.Set!)).Distinct()
            .Select(x => R.L(R.C(x.Lemma), R.T(": "), R.C(x.Item2))).ToList();
        var setBlocks = sets.Count == 0 ? [] : new Block[] { new Paragraph(R.L(R.T("Invariant sets (in the lemma language; "), R.C("u[i]"), R.T(", "), R.C("v[i]"), R.T(" are the target's singular vectors):"))), new ItemList(sets) };
        return new Section($"{ex.Item}-certificate", R.L(R.T("Certificate and limits")),
            [intro, .. setBlocks, new Table($"{ex.Item}-steps", ["step", "lemma / network", "verdict", "basis", "certificate files"], rows, caption) { Widths = [0.40, 0.16, 0.12, 0.12, 0.20] }]);
    }

    private static Section Trajectories(NecessityExample ex, IReadOnlyList<string> runs)
    {
        var blocks = new List<Block>();
        var rows = new List<IReadOnlyList<IReadOnlyList<Run>>>();
        for (int i = 0; i < ex.Simulations.Count; i++)
        {
            var s = ex.Simulations[i];
            var r = s.Report;
            var role = s.Role == SimulationRole.Lemma ? R.L(R.C(s.Lemma), R.T($" on {s.Network}")) : R.L(R.T($"plain double DOP853 companion of "), R.C(s.Lemma), R.T($" on {s.Network}"));
            var faithful = s.Faithful switch
            {
                true => " Faithful: stays on the stable set (" + (r.Request.Reduction is Reduction.TwoLayer or Reduction.Balanced ? "integrated on the certified set" : r.Request.Precision == Precision.DoubleDouble ? "double-double" : "exact zeros kept exact") + ").",
                false => " Not faithful: leaves the stable set by truncation and rounding.",
                null => "",
            };
            rows.Add([R.L(R.B(runs[i])), role, R.L(R.C(s.Start)), R.L(R.T($"{r.Trajectory}; {r.Provenance}; t in [0, {Num.G(r.Request.TMax)}].{faithful}")),
                R.L(R.T($"{r.Classification.Describe()} ({r.Classification.Basis})")), R.L(Verdict(s.Status, s.Expected)),
                R.L(R.T($"drift {Num.Sci(r.MaxDrift, 1)}; final gap {Num.Sci(r.FinalGap, 2)}"))]);
        }
        blocks.Add(new Paragraph(R.L(R.T("Every row is "), R.B("numerical evidence"), R.T(": the limit is classified from the trajectory (or by a theorem's criterion decided at the start, as its basis says), and the drift of the conserved "), R.M("C_j"), R.T(" (T3) measures the run's accuracy."))));
        blocks.Add(new Table($"{ex.Item}-runs", ["run", "lemma / network", "start", "trajectory", "classified limit", "verdict", "monitors"], rows,
            R.L(R.T($"{ex.Item}: trajectories (numerical evidence).")))
            { Widths = [0.07, 0.15, 0.15, 0.25, 0.15, 0.11, 0.12] });

        var stageRows = new List<IReadOnlyList<IReadOnlyList<Run>>>();
        for (int i = 0; i < ex.Simulations.Count; i++)
            foreach (var st in ex.Simulations[i].Report.Stages.Where(st => st.Fitted is not null || st.Predicted is not null))
            {
                string rel = st.Fitted is double f && st.Predicted is double p && p != 0 ? Num.Sci(Math.Abs(f - p) / Math.Abs(p), 1) : "-";
                stageRows.Add([R.L(R.B(runs[i])), R.L(R.T(st.Kind)), R.L(R.T($"[{Num.G(st.From, 4)}, {Num.G(st.To, 4)}]")), R.L(R.T(st.Quantity)),
                    R.L(R.T(st.Fitted is double fit ? Num.G(fit, 5) + (st.Asymptotic == false ? " (not settled)" : "") : "-")), R.L(R.T(st.Predicted is double pr ? Num.G(pr, 5) : "-")), R.L(R.T(rel))]);
            }
        if (stageRows.Count > 0)
            blocks.Add(new Table($"{ex.Item}-stages", ["run", "stage", "time window", "quantity", "fitted", "predicted (T12 / T15)", "relative difference"], stageRows,
                R.L(R.T($"{ex.Item}: stage rates fitted to the loss curve against the rates T12 (balanced) and T15 (two layers) predict for this start; fits are numerical evidence."))));

        var escapeRows = new List<IReadOnlyList<IReadOnlyList<Run>>>();
        for (int i = 0; i < ex.Simulations.Count; i++)
            if (ex.Simulations[i].Report.Escape is { } e)
                escapeRows.Add([R.L(R.B(runs[i])), R.L(R.T(Num.G(e.ArrivalTime, 4))), R.L(R.T(Num.Sci(e.Violation, 2))), R.L(R.T(Num.G(e.OwnComponent, 4))), R.L(R.T(Num.G(e.Rate, 4))),
                    R.L(R.T(e.PredictedEscape is double p ? Num.G(p, 4) : "never (eps = 0)")), R.L(R.T(e.ObservedEscape is double o ? Num.G(o, 4) : $"none by t = {Num.G(ex.Simulations[i].Report.Request.TMax)}"))]);
        if (escapeRows.Count > 0)
        {
            blocks.Add(new Paragraph(R.L(R.T("A start on the stable set of saddle "), R.M("i"), R.T(" arrives there and, once the run has left the invariant set by "), R.M("\\varepsilon"),
                R.T(" (the measured escape component at arrival), escapes at about (theory document, section 7)"))));
            blocks.Add(new DisplayMath("t_{\\mathrm{esc}} \\approx t_{\\mathrm{arr}} + \\frac{1}{\\rho} \\ln \\frac{|p_i|}{\\varepsilon}"));
            blocks.Add(new Paragraph(R.L(R.T("with "), R.M("\\rho"), R.T(" the escape rate of T12 / T14 (for two layers "), R.M("\\mu_1 - \\mu_i"),
                R.T("). In plain double the violation comes from truncation error; a faithful run keeps "), R.M("\\varepsilon = 0"), R.T(" or near the precision's unit."))));
            blocks.Add(new Table($"{ex.Item}-escape", ["run", "arrival t", "violation eps", "|p_i| at arrival", "escape rate", "predicted escape t", "observed escape t"], escapeRows,
                R.L(R.T($"{ex.Item}: predicted against observed escape from the saddle (numerical evidence)."))));
        }
        int n = 0;
        foreach (var group in ex.Simulations.Select((s, i) => (s, i)).GroupBy(x => x.s.Report.Request.TMax).OrderBy(g => g.Key))
            blocks.Add(FigureOf(ex, group.ToList(), runs, ++n));
        return new Section($"{ex.Item}-trajectories", R.L(R.T("Trajectories (numerical evidence)")), blocks);
    }

    private static Figure FigureOf(NecessityExample ex, IReadOnlyList<(ExampleSimulation S, int I)> members, IReadOnlyList<string> runs, int n)
    {
        double tMax = members[0].S.Report.Request.TMax;
        bool oneNetwork = members.Select(m => m.S.Report.Request.Architecture.ToString()).Distinct().Count() == 1;
        var series = members.Select(m => new FigureSeries($"{runs[m.I]} {SimulationFiles.SeriesLabel(m.S.Report, !oneNetwork)}", m.S.Report, m.S.Role == SimulationRole.PlainDoubleCompanion)).ToList();
        var fig = TrajectoryFigure.Render(series, tMax);
        var caption = new List<Run> { R.T($"{ex.Item}, figure {n}. Trajectories {string.Join(", ", members.Select(m => runs[m.I]))} for t from 0 to {Num.G(tMax)}. Panels from the top: ") };
        var panels = new (string Name, Run[] Runs)[]
        {
            ("loss gap", [R.T("the loss gap "), R.M("L - L^*"), R.T(" ("), R.M("L^*"), R.T(" the global minimum on these widths)")]),
            ("||P||_F", [R.M("\\|P\\|_F"), R.T(", which is "), R.M("\\sigma"), R.T(" for a rank-one "), R.M("P")]),
            ("drift of the C_j", [R.T("the largest drift of the conserved "), R.M("C_j"), R.T(" (T3), recorded at checkpoints")]),
        };
        var drawn = panels.Where(p => !fig.Omitted.Contains(p.Name)).ToList();
        for (int i = 0; i < drawn.Count; i++)
        {
            if (i > 0) caption.Add(R.T("; "));
            caption.AddRange(drawn[i].Runs);
        }
        caption.Add(R.T(drawn.Count > 1 ? ", each on its own logarithmic axis. " : ", on a logarithmic axis. "));
        if (fig.Omitted.Count > 0) caption.Add(R.T($"Not drawn ({string.Join(", ", fig.Omitted)}): exactly 0 at every recorded point, which a log axis cannot show. "));
        if (fig.Missing.Count > 0)
            caption.Add(R.T(string.Join("; ", fig.Missing.GroupBy(m => m.Series).Select(g => $"{runs[members[g.Key].I]} has no curve for the {string.Join(" or the ", g.Select(m => m.Quantity))} (exactly 0 throughout)")) + ". "));
        if (fig.Ended.Count > 0)
            caption.Add(R.T(Sentence(string.Join("; ", fig.Ended.Select(e => $"the {e.Quantity} of {runs[members[e.Series].I]} ends at t = {Num.G(e.Until, 3)}"))) +
                ", where it reaches 0 in double (rounding), which a log axis cannot show. "));
        if (fig.Events.Count > 0)
            caption.Add(R.T("Vertical lines: " + string.Join("; ", fig.Events.Select(e => $"{e.Letter}, {e.Event.Kind} of {runs[members[e.Event.Series].I]} at t = {Num.G(e.Event.T, 4)}")) + ". "));
        var beyond = members.Where(m => m.S.Report.Escape is { PredictedEscape: double p } && p > tMax).Select(m => $"{runs[m.I]} predicts escape at t = {Num.G(m.S.Report.Escape!.PredictedEscape!.Value, 4)}, beyond t_max");
        if (beyond.Any()) caption.Add(R.T(string.Join("; ", beyond) + ". "));
        var proved = ex.Steps.Where(s => s.Status == Kernel.Status.Proved).Select(s => s.What).Distinct().Take(4).ToList();
        caption.Add(R.T(proved.Count > 0
            ? $"Proved by the kernel (table above): {string.Join("; ", proved)}{(ex.Steps.Count(s => s.Status == Kernel.Status.Proved) > proved.Count ? "; ..." : "")}. The curves, the limits they reach and the escape times are numerical evidence."
            : "Nothing in this figure is proved: the curves, the limits they reach and any escape times are numerical evidence."));
        var alt = $"{ex.Item}: loss gap, norm of P and drift of C_j against t for {string.Join(", ", series.Select(s => s.Label))}";
        return new Figure($"{ex.Item}-figure-{n}", $"figures/{ex.Item}-{n}.png", fig.Png, alt, caption);
    }

    private static StatusRun Verdict(Status s, Expectation expected)
    {
        var word = s.ToString().ToLowerInvariant();
        var label = s switch
        {
            Kernel.Status.Contradicted when expected == Expectation.Fails => "contradicted (expected; numerical evidence)",
            Kernel.Status.Supported or Kernel.Status.Contradicted => $"{word} (numerical evidence)",
            Kernel.Status.Refuted when expected == Expectation.Fails => "refuted (expected)",
            Kernel.Status.Unknown => "unknown: NOT proved",
            Kernel.Status.Error => "error: NOT proved",
            _ => word,
        };
        return new StatusRun(word, label);
    }

    private static IReadOnlyList<Run> Files(IReadOnlyList<string> files, string outDir)
    {
        if (files.Count == 0) return R.L(R.T("-"));
        var runs = new List<Run>();
        foreach (var f in files)
        {
            if (runs.Count > 0) runs.Add(R.T(" "));
            runs.Add(R.F(Relative(f, outDir)));
        }
        return runs;
    }

    private static string Relative(string file, string outDir) => Path.GetRelativePath(Path.GetFullPath(outDir), Path.GetFullPath(file)).Replace('\\', '/');

    private static string Sentence(string s) => s.Length > 0 ? char.ToUpperInvariant(s[0]) + s[1..] : s;

    /// <summary>Theory-document text: `...` spans become formulas (or stay verbatim), *emphasis* markers are dropped.</summary>
    public static IReadOnlyList<Run> TheoryRuns(string text)
    {
        var runs = new List<Run>();
        var parts = text.Split('`');
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0) continue;
            if (i % 2 == 1) runs.Add(TexMath.FromTheoryNotation(parts[i]) is { } tex ? R.M(tex) : R.C(parts[i]));
            else runs.Add(R.T(Regex.Replace(parts[i], @"\*([^*]+)\*", "$1")));
        }
        return runs;
    }

    // ------------------------------------------------------------------ JSON data

    private static object Data(IReadOnlyList<NecessityExample> examples, string outDir) => new
    {
        kernel = ProofKernel.Version,
        verdict_kinds = new { proved = "kernel verdict", supported = "numerical evidence (never 'proved')" },
        exit_code = ExitCode(examples),
        examples = examples.Select(ex => new
        {
            item = ex.Item,
            quote = ex.Quote is { } q ? new { condition = q.Condition, statement = q.Statement, source = q.Source } : null,
            exit_code = ex.ExitCode,
            steps = ex.Steps.Select(s => new
            {
                lemma = s.Lemma, lemma_path = s.LemmaPath, network = s.Network, method = s.Method, kind = s.Kind, what = s.What,
                status = s.Status.ToString().ToLowerInvariant(), expected = s.Expected.ToString().ToLowerInvariant(), basis = s.Basis, detail = s.Detail,
                start = s.Start,
                set = s.Set,
                cofactors = s.Cofactors.Select(c => new { generator = c.Generator, cofactor = PolynomialText.Format(c.Q) }).ToList(),
                boundary = s.Boundary,
                files = s.Files.Select(f => Relative(f, outDir)).ToList(),
            }).ToList(),
            simulations = ex.Simulations.Select((s, i) => new
            {
                run = RunName(ex.Item, i), start = s.Start, lemma = s.Lemma, lemma_path = s.LemmaPath, network = s.Network,
                role = s.Role == SimulationRole.Lemma ? "lemma" : "plain double DOP853 companion",
                status = s.Status.ToString().ToLowerInvariant(), expected = s.Expected.ToString().ToLowerInvariant(), basis = s.Basis, detail = s.Detail, faithful = s.Faithful,
                report = SimulationFiles.JsonModel(s.Report),
                samples = s.Report.Samples.Select(p => new[] { p.T, p.Loss, p.Gap, p.NormP, p.Drift ?? double.NaN }).ToList(),
                sample_columns = new[] { "t", "loss", "gap", "norm_p", "drift_c" },
            }).ToList(),
            problems = ex.Problems,
        }).ToList(),
    };

    /// <summary>1 when an expectation failed, else 2 when a step is not proved (unknown, error), a run is undetermined or an example could not be regenerated, else 0.</summary>
    public static int ExitCode(IReadOnlyList<NecessityExample> examples) =>
        examples.Any(e => e.ExitCode == 1) ? 1 : examples.Any(e => e.ExitCode == 2) ? 2 : 0;
}
