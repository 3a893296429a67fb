namespace DeepLinearProofs.Dynamics.Analysis;

/// <summary>One point of a trajectory as the rate analysis sees it.</summary>
public readonly record struct TrajectoryPoint(double T, double Loss, double NormP);

/// <summary>Rates a theorem predicts for a start (docs/theory.md, T12, T15); null where no theorem applies.</summary>
public sealed record RatePrediction
{
    /// <summary>r with loss gap = Theta(e^{-2 r t}) near the global minimiser.</summary>
    public double? Minimiser { get; init; }
    public string MinimiserSource { get; init; } = "";

    /// <summary>Growth rate of the escape from saddle i (1-based).</summary>
    public IReadOnlyDictionary<int, double> SaddleEscape { get; init; } = new Dictionary<int, double>();

    /// <summary>Near the origin: |P| ~ C t^k with this k (N >= 3), or |P| ~ e^{-rate t} (N = 2).</summary>
    public double? OriginPowerExponent { get; init; }
    public double? OriginExponentialRate { get; init; }
}

/// <summary>The kinds of stage a loss curve has (docs/theory.md, T7, T12): near the origin, at a saddle plateau, near the minimiser.</summary>
public enum StageKind { Linear, Plateau, Origin }

/// <summary>
/// A stage of the loss curve: near a critical level, with the fitted and the predicted rate. <see cref="FirstHalf"/> and
/// <see cref="SecondHalf"/> are the rates fitted on the two halves of the window; the fit is asymptotic when they agree.
/// </summary>
public sealed record Stage(StageKind Type, string Kind, int Level, double From, double To, string Quantity, double? Fitted, double? Predicted, int Points)
{
    public double? FirstHalf { get; init; }
    public double? SecondHalf { get; init; }

    /// <summary>Relative drift between the two halves' rates above which the window is not yet asymptotic.</summary>
    public const double StabilityTolerance = 0.01;

    /// <summary>True when the halves agree within <see cref="StabilityTolerance"/>; null when there are too few points to tell.</summary>
    public bool? Asymptotic => FirstHalf is double a && SecondHalf is double b ? Math.Abs(a - b) <= StabilityTolerance * Math.Max(Math.Abs(a), Math.Abs(b)) : null;

    public string Describe() =>
        $"{Kind,-22} t in [{From:g4}, {To:g4}]  {Quantity}: fitted {(Fitted is double f ? f.ToString("g5") : "-")}, predicted {(Predicted is double p ? p.ToString("g5") : "-")}";
}

/// <summary>
/// Segments a loss curve into stages by the nearest critical level (docs/theory.md, T7): the origin (sublinear for N >= 3),
/// saddle plateaus, and the linear stage near the minimiser, and fits each (least squares on log scales).
/// </summary>
public static class StageRates
{
    public static IReadOnlyList<Stage> Fit(IReadOnlyList<TrajectoryPoint> points, CriticalPoints cp, RatePrediction predicted, int depth)
    {
        var stages = new List<Stage>();
        if (points.Count < 3) return stages;
        double spread = cp.OriginLoss - cp.MinimumLoss;
        double floor = 1e-11 * (cp.Target.FrobeniusSquared + 1);
        double near = 0.02 * spread;
        int Level(TrajectoryPoint p)
        {
            if (p.Loss - cp.MinimumLoss < near) return 1;
            for (int i = 2; i <= cp.Count; i++) if (Math.Abs(p.Loss - cp.Loss(i)) < near && !cp.IsGlobal(i)) return i;
            if (Math.Abs(p.Loss - cp.OriginLoss) < near) return 0;
            return -1;
        }
        int start = 0;
        for (int n = 1; n <= points.Count; n++)
        {
            if (n < points.Count && Level(points[n]) == Level(points[start])) continue;
            int level = Level(points[start]);
            var seg = points.Skip(start).Take(n - start).ToList();
            start = n;
            // A level crossed in transit is not a stage: it must hold for 2% of the run and 5 points.
            if (level < 0 || seg.Count < 5 || seg[^1].T - seg[0].T < 0.02 * (points[^1].T - points[0].T)) continue;
            if (level == 1)
            {
                var fit = seg.Where(p => p.Loss - cp.MinimumLoss > 1e3 * floor && p.Loss - cp.MinimumLoss < 1e-3 * spread).ToList();
                double? Rate(IReadOnlyList<TrajectoryPoint> part) => Slope(part.Select(p => p.T).ToList(), part.Select(p => Math.Log(p.Loss - cp.MinimumLoss)).ToList()) is double s ? -s / 2 : null;
                var (first, second) = Halves(fit);
                stages.Add(new Stage(StageKind.Linear, "linear (minimiser)", 1, seg[0].T, seg[^1].T, "r in gap ~ e^{-2 r t}", Rate(fit), predicted.Minimiser, fit.Count)
                    { FirstHalf = Rate(first), SecondHalf = Rate(second) });
            }
            else if (level >= 2)
            {
                double li = cp.Loss(level);
                var leaving = seg.Where(p => li - p.Loss > 1e-9 * spread && li - p.Loss < 0.5 * near).ToList();
                double? Rate(IReadOnlyList<TrajectoryPoint> part) => Slope(part.Select(p => p.T).ToList(), part.Select(p => Math.Log(li - p.Loss)).ToList()) is double s ? s / 2 : null;
                var (first, second) = Halves(leaving);
                stages.Add(new Stage(StageKind.Plateau, $"plateau (saddle {level})", level, seg[0].T, seg[^1].T, "escape rate rho in L_i - L ~ e^{2 rho t}",
                    Rate(leaving), predicted.SaddleEscape.TryGetValue(level, out var r) ? r : null, leaving.Count)
                    { FirstHalf = Rate(first), SecondHalf = Rate(second) });
            }
            else
            {
                var fit = seg.Where(p => p.T > 0 && p.NormP > 0 && p.NormP < 0.1 * cp.Target.S(0)).ToList();
                if (depth == 2 || predicted.OriginExponentialRate is not null && predicted.OriginPowerExponent is null)
                {
                    double? Rate(IReadOnlyList<TrajectoryPoint> part) => Slope(part.Select(p => p.T).ToList(), part.Select(p => Math.Log(p.NormP)).ToList()) is double s ? -s : null;
                    var (first, second) = Halves(fit);
                    stages.Add(new Stage(StageKind.Origin, "origin (exponential)", 0, seg[0].T, seg[^1].T, "rate in |P| ~ e^{-rate t}", Rate(fit), predicted.OriginExponentialRate, fit.Count)
                        { FirstHalf = Rate(first), SecondHalf = Rate(second) });
                }
                else
                {
                    // Use the later half: the power law is asymptotic.
                    var late = fit.Where(p => p.T >= (fit.Count > 0 ? fit[0].T + 0.5 * (fit[^1].T - fit[0].T) : 0)).ToList();
                    double? Exponent(IReadOnlyList<TrajectoryPoint> part) => Slope(part.Select(p => Math.Log(p.T)).ToList(), part.Select(p => Math.Log(p.NormP)).ToList());
                    var (first, second) = Halves(late);
                    stages.Add(new Stage(StageKind.Origin, "origin (power law)", 0, seg[0].T, seg[^1].T, "k in |P| ~ t^k", Exponent(late), predicted.OriginPowerExponent, late.Count)
                        { FirstHalf = Exponent(first), SecondHalf = Exponent(second) });
                }
            }
        }
        return stages;
    }

    /// <summary>The window split in two halves by time.</summary>
    private static (List<TrajectoryPoint> First, List<TrajectoryPoint> Second) Halves(List<TrajectoryPoint> fit)
    {
        if (fit.Count == 0) return ([], []);
        double mid = 0.5 * (fit[0].T + fit[^1].T);
        return (fit.Where(p => p.T <= mid).ToList(), fit.Where(p => p.T > mid).ToList());
    }

    /// <summary>Least-squares slope; null with fewer than 3 points.</summary>
    public static double? Slope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count < 3) return null;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Count; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); }
        return sxx > 0 ? sxy / sxx : null;
    }
}
