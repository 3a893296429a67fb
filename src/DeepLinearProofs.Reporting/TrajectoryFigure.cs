using System.Globalization;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using ScottPlot;

namespace DeepLinearProofs.Reporting;

/// <summary>One trajectory drawn in a figure: its legend label, whether it is drawn dashed, and its report.</summary>
public sealed record FigureSeries(string Label, SimulationReport Report, bool Dashed = false);

/// <summary>An event marked by a vertical line: arrival at a saddle, predicted escape, observed escape (docs/theory.md, section 7).</summary>
public sealed record FigureEvent(double T, string Kind, int Series);

/// <summary>
/// The trajectory figure of <c>dlp simulate</c> and <c>dlp examples</c>: one panel per quantity, each with its own labelled
/// logarithmic y axis (loss gap L - L*; ||P||_F, which is sigma for a rank-one P; the drift of the conserved C_j), t from 0 to
/// t_max, events as lettered vertical lines, and the legend outside the panels. Panels with nothing positive to draw are left
/// out and named in <see cref="Rendered.Omitted"/> (the caption says why).
/// </summary>
public static class TrajectoryFigure
{
    /// <summary>The image and what the caption must say about it.</summary>
    public sealed record Rendered(byte[] Png, IReadOnlyList<string> Omitted, IReadOnlyList<(string Letter, FigureEvent Event)> Events, double TMax)
    {
        /// <summary>Per drawn panel, the series with nothing positive to draw there (quantity name, series index).</summary>
        public IReadOnlyList<(string Quantity, int Series)> Missing { get; init; } = [];

        /// <summary>Per drawn panel, the series whose curve stops before its run ends (the quantity reached 0, or below by rounding).</summary>
        public IReadOnlyList<(string Quantity, int Series, double Until)> Ended { get; init; } = [];
    }

    private const int DataWidth = 775, PanelHeight = 250, Left = 95, Top = 32, Bottom = 48;

    private sealed record Quantity(string Axis, string Name, Func<Sample, double?> Value);

    private static readonly Quantity[] Quantities =
    [
        new("loss gap L - L*", "loss gap", s => s.Gap),
        new("||P||_F (= sigma)", "||P||_F", s => s.NormP),
        new("drift of the C_j", "drift of the C_j", s => s.Drift),
    ];

    /// <summary>The events of each series' escape analysis that fall in [0, t_max].</summary>
    public static IReadOnlyList<FigureEvent> Events(IReadOnlyList<FigureSeries> series, double tMax)
    {
        var events = new List<FigureEvent>();
        for (int i = 0; i < series.Count; i++)
        {
            if (series[i].Report.Escape is not { } e) continue;
            events.Add(new FigureEvent(e.ArrivalTime, $"arrival at saddle {e.Saddle}", i));
            if (e.PredictedEscape is double p && p <= tMax) events.Add(new FigureEvent(p, "predicted escape", i));
            if (e.ObservedEscape is double o) events.Add(new FigureEvent(o, "observed escape", i));
        }
        return events.OrderBy(e => e.T).ToList();
    }

    public static Rendered Render(IReadOnlyList<FigureSeries> series, double tMax, bool svg = false, string? svgPath = null)
    {
        var palette = new ScottPlot.Palettes.Category10();
        // The legend sits right of the panels; room for its longest entry (about 7 px a character at 12 pt) keeps it whole.
        int longest = Math.Max(40, series.Select(s => s.Label.Length).Append(36).Max());
        int Right = 90 + 7 * longest, Width = Left + DataWidth + Right;
        var events = Events(series, tMax);
        var letters = events.Select((e, i) => ((char)('a' + i)).ToString()).ToList();
        var omitted = new List<string>();
        var missing = new List<(string, int)>();
        var ended = new List<(string, int, double)>();
        var plots = new List<Plot>();
        foreach (var q in Quantities)
        {
            var data = series.Select(s => s.Report.Samples.Where(p => p.T <= tMax * (1 + 1e-12)).Select(p => (p.T, v: q.Value(p))).Where(p => p.v is double v && v > 0 && double.IsFinite(v))
                .Select(p => (p.T, Y: Math.Log10(p.v!.Value))).ToList()).ToList();
            if (data.All(d => d.Count < 2)) { omitted.Add(q.Name); continue; }
            for (int i = 0; i < series.Count; i++)
            {
                if (data[i].Count < 2) { missing.Add((q.Name, i)); continue; }
                var recorded = series[i].Report.Samples.Where(p => p.T <= tMax * (1 + 1e-12) && q.Value(p) is not null).ToList();
                if (recorded.Count > 0 && data[i][^1].T < recorded[^1].T - 0.01 * tMax) ended.Add((q.Name, i, data[i][^1].T));
            }
            var plot = new Plot();
            for (int i = 0; i < series.Count; i++)
            {
                if (data[i].Count < 2) continue;
                var line = plot.Add.Scatter(data[i].Select(p => p.T).ToArray(), data[i].Select(p => p.Y).ToArray());
                line.MarkerSize = 0;
                // Earlier series are drawn wider, so a later one on top of it (two runs at the same saddle) leaves it visible.
                line.LineWidth = Math.Max(1.5f, 2f + 2.5f * (series.Count - 1 - i) / Math.Max(1, series.Count - 1));
                line.Color = palette.GetColor(i);
                if (series[i].Dashed) line.LinePattern = LinePattern.Dashed;
                line.LegendText = series[i].Label;
            }
            double lo = data.SelectMany(d => d).Min(p => p.Y), hi = data.SelectMany(d => d).Max(p => p.Y);
            if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
            double pad = 0.06 * (hi - lo);
            plot.Axes.SetLimits(0, tMax, lo - pad, hi + pad);
            plot.Axes.Left.TickGenerator = hi - lo + 2 * pad < 1.2 ? NiceLogTicks(lo - pad, hi + pad) : new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = Decade,
                IntegerTicksOnly = hi - lo >= 2,
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            };
            plot.Axes.Left.Label.Text = q.Axis;
            plot.Axes.Left.Label.FontSize = 14;
            plot.Axes.Bottom.Label.Text = "t";
            plot.Axes.Bottom.Label.FontSize = 15;
            plot.Layout.Fixed(new PixelPadding(Left, Right, Bottom, Top));
            plots.Add(plot);
        }
        if (plots.Count == 0)
        {
            // Nothing positive to draw on a log axis at all: an empty panel over [0, t_max] that says so.
            var plot = new Plot();
            plot.Axes.SetLimits(0, tMax, 0, 1);
            plot.Axes.Bottom.Label.Text = "t";
            plot.Layout.Fixed(new PixelPadding(Left, Right, Bottom, Top));
            plots.Add(plot);
        }
        for (int p = 0; p < plots.Count; p++)
            for (int i = 0; i < events.Count; i++)
            {
                var vl = plots[p].Add.VerticalLine(events[i].T);
                vl.Color = palette.GetColor(events[i].Series).WithAlpha(0.85);
                vl.LineWidth = 1.5f;
                vl.LinePattern = events[i].Kind.StartsWith("predicted", StringComparison.Ordinal) ? LinePattern.Dotted : LinePattern.Dashed;
                // The curves' legend is beside the top panel, the events' beside the second (or the top when there is one panel).
                int legendPanel = plots.Count > 1 ? 1 : 0;
                vl.ExcludeFromLegend = p != legendPanel;
                if (p == legendPanel) vl.LegendText = $"{letters[i]}: {events[i].Kind}, t = {Num.G(events[i].T, 4)}";
                if (p == 0)
                {
                    // Letters of lines closer than 1.5% of t_max would collide: only the first of such a run is lettered on the line.
                    bool crowded = i > 0 && events[i].T - events[i - 1].T < 0.015 * tMax;
                    vl.LabelText = crowded ? "" : string.Join(",", Enumerable.Range(i, events.Count - i).TakeWhile(j => j == i || events[j].T - events[j - 1].T < 0.015 * tMax).Select(j => letters[j]));
                    vl.LabelOppositeAxis = true;
                    vl.LabelFontSize = 14;
                    vl.LabelBackgroundColor = Colors.White;
                    vl.LabelFontColor = Colors.Black;
                }
            }
        for (int p = 1; p < plots.Count; p++)
            foreach (var line in plots[p].GetPlottables().OfType<ScottPlot.Plottables.Scatter>()) line.LegendText = "";
        foreach (var p in plots) p.Legend.IsVisible = false;
        plots[0].ShowLegend(Edge.Right);
        plots[0].Legend.FontSize = 12;
        if (plots.Count > 1 && events.Count > 0)
        {
            plots[1].ShowLegend(Edge.Right);
            plots[1].Legend.FontSize = 12;
        }
        var multiplot = new Multiplot();
        multiplot.Reset(plots[0]);
        foreach (var p in plots.Skip(1)) multiplot.AddPlot(p);
        int height = PanelHeight * plots.Count;
        byte[] png;
        using (var image = multiplot.Render(Width, height)) png = image.GetImageBytes(ImageFormat.Png, 100);
        if (svg && svgPath is not null)
        {
            using var stream = File.Create(svgPath);
            using (var canvas = SkiaSharp.SKSvgCanvas.Create(new SkiaSharp.SKRect(0, 0, Width, height), stream))
                multiplot.Render(canvas, new PixelRect(0, Width, height, 0));
        }
        return new Rendered(png, omitted, letters.Zip(events).ToList(), tMax) { Missing = missing, Ended = ended };
    }

    /// <summary>
    /// Ticks for a log axis spanning about a decade or less (log10 values lo..hi): round values (a step of 1, 2, 2.5 or 5 times a
    /// power of ten, four to eight of them) at their logarithms, so the labels read 1.5, 2, 2.5, 3 rather than 1.58, 2.51, 3.98.
    /// </summary>
    private static ScottPlot.TickGenerators.NumericManual NiceLogTicks(double lo, double hi)
    {
        double a = Math.Pow(10, lo), b = Math.Pow(10, hi);
        double raw = (b - a) / 6, power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * power).First(m => m >= raw);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        int digits = Math.Max(0, -(int)Math.Floor(Math.Log10(step)) + (step / power == 2.5 ? 1 : 0));
        for (double v = Math.Ceiling(a / step) * step; v <= b * (1 + 1e-12); v += step)
            if (v > 0) ticks.AddMajor(Math.Log10(v), v.ToString("F" + digits, CultureInfo.InvariantCulture));
        return ticks;
    }

    /// <summary>A tick at log10 value y: whole decades as 0.01, 0.1, 1, 10, 100 or 1e-12, 1e5; other ticks as the value to three digits.</summary>
    private static string Decade(double y)
    {
        double r = Math.Round(y);
        if (Math.Abs(y - r) < 1e-9)
            return Math.Abs(r) < 3 ? Math.Pow(10, r).ToString("0.##", CultureInfo.InvariantCulture) : $"1e{r.ToString("0", CultureInfo.InvariantCulture)}";
        return Math.Pow(10, y).ToString("g3", CultureInfo.InvariantCulture);
    }
}
