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

    /// <summary>
    /// The trajectory figure (<see cref="TrajectoryFigure"/>): one panel per quantity (loss gap, ||P||_F = sigma, drift of the C_j)
    /// with its own log axis, t from 0 to t_max, arrival and escape events as lettered vertical lines, the legend outside.
    /// </summary>
    public static void Plot(SimulationReport r, string path)
    {
        var series = new[] { new FigureSeries(SeriesLabel(r), r) };
        bool svg = path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase);
        var figure = TrajectoryFigure.Render(series, r.Request.TMax, svg, svg ? path : null);
        if (!svg) File.WriteAllBytes(path, figure.Png);
    }

    /// <summary>A short legend label: widths, and the integration (method, precision, rtol) or the reduction.</summary>
    public static string SeriesLabel(SimulationReport r, bool withWidths = true)
    {
        var how = r.Source switch
        {
            TwoLayerTrajectory => "T13 closed form",
            BalancedTrajectory => $"balanced reduction, rtol {Num.Sci(r.Request.RelTol, 0)}",
            _ => $"{(r.Provenance.Contains("DOP853") ? "DOP853" : r.Provenance.Contains("Dormand") || r.Provenance.Contains("DP5") ? "DP5(4)" : "stiff switch")}, {(r.Request.Precision == Precision.DoubleDouble ? "double-double" : "double")}, rtol {Num.Sci(r.Request.RelTol, 0)}",
        };
        return withWidths ? $"{r.Request.Architecture}: {how}" : how;
    }
}
