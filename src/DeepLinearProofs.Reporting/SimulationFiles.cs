using System.Globalization;
using System.Text;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Reporting;

/// <summary>Writes a simulation report as CSV (the trajectory), JSON (everything) and a PNG or SVG plot (ScottPlot).</summary>
public static class SimulationFiles
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Csv(SimulationReport r)
    {
        var sb = new StringBuilder("t,loss,gap,norm_P,drift_C,grad_norm\n");
        foreach (var s in r.Samples)
            sb.Append(string.Create(Inv, $"{s.T:R},{s.Loss:R},{s.Gap:R},{s.NormP:R},{(s.Drift is double d ? d.ToString("R", Inv) : "")},{(s.GradientNorm is double g ? g.ToString("R", Inv) : "")}\n"));
        return sb.ToString();
    }

    public static object JsonModel(SimulationReport r) => new
    {
        widths = r.Request.Architecture.Widths,
        target = r.Request.Target.Describe(),
        start = r.Request.Start.Description,
        provenance = r.Provenance,
        verdict_kind = "numerical evidence (never 'proved')",
        trajectory = r.Trajectory,
        t_max = r.Request.TMax,
        rtol = r.Request.RelTol,
        atol = r.Request.AbsTol,
        precision = r.Request.Precision.ToString(),
        classification = new { limit = r.Classification.Describe(), @class = r.Classification.Class.ToString(), index = r.Classification.Index, basis = r.Classification.Basis, evidence = r.Classification.EvidenceLines },
        prediction = r.Prediction is null ? null : new { theorem = r.Prediction.Theorem, exact = r.Prediction.Exact, limit = r.Prediction.Class.ToString(), index = r.Prediction.Index, detail = r.Prediction.Detail },
        stages = r.Stages.Select(s => new { kind = s.Kind, from = s.From, to = s.To, quantity = s.Quantity, fitted = s.Fitted, predicted = s.Predicted, points = s.Points }),
        escape = r.Escape,
        monitors = new { max_drift_c = r.MaxDrift, loss_increases = r.LossIncreases },
        integration = r.Stats is null ? null : new { exit = r.Stats.Exit.ToString(), final_time = r.Stats.FinalTime, steps = r.Stats.Steps, rejected = r.Stats.Rejected, nfev = r.Stats.Evaluations, wall_s = r.WallSeconds },
        flops_per_evaluation = new { used = r.FlopsPerEvaluation, dense = r.DenseFlopsPerEvaluation, target_application = r.TargetApplication },
        final = new { loss = r.FinalLoss, gap = r.FinalGap },
        notes = r.Notes,
    };

    public static string Json(SimulationReport r) => JsonOutput.Serialize(JsonModel(r));

    /// <summary>Writes STEM.csv, STEM.json and, unless <paramref name="plot"/> is "none", STEM.png or STEM.svg.</summary>
    public static void Write(SimulationReport r, string stem, string plot)
    {
        if (Path.GetDirectoryName(stem) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
        File.WriteAllText(stem + ".csv", Csv(r));
        File.WriteAllText(stem + ".json", Json(r));
        if (plot != "none") Plot(r, $"{stem}.{plot}");
    }

    /// <summary>Loss gap, |P| (= sigma for a rank-one P) and the drift of the C_j against t, on a log10 axis.</summary>
    public static void Plot(SimulationReport r, string path)
    {
        var plt = new ScottPlot.Plot();
        void Series(string label, Func<Sample, double?> value)
        {
            var pts = r.Samples.Select(s => (s.T, v: value(s))).Where(p => p.v is double v && v > 0 && double.IsFinite(v)).ToList();
            if (pts.Count < 2) return;
            var line = plt.Add.Scatter(pts.Select(p => p.T).ToArray(), pts.Select(p => Math.Log10(p.v!.Value)).ToArray());
            line.LegendText = label;
            line.MarkerSize = 0;
        }
        Series("loss gap L - L*", s => s.Gap);
        Series("|P| (sigma)", s => s.NormP);
        Series("drift of C_j", s => s.Drift);
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = y => $"1e{y:0}",
            IntegerTicksOnly = true,
        };
        var last = r.Samples.Count > 0 ? r.Samples[^1] : null;
        plt.Title($"{r.Request.Architecture} | {r.Request.Target.Describe()}\nlimit: {r.Classification.Describe()} [{r.Classification.Basis}]" +
                  (last is null ? "" : $"\ntrajectory at t = {Num.G(last.T, 4)}: gap {Num.Sci(last.Gap, 2)} ({r.Provenance})"));
        plt.XLabel("t");
        plt.YLabel("log10 scale");
        plt.ShowLegend();
        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)) plt.SaveSvg(path, 1000, 600);
        else plt.SavePng(path, 1000, 600);
    }
}
