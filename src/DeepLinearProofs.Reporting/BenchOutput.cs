using System.Globalization;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Reporting;

/// <summary>The one-line <c>key=value</c> results of <c>dlp bench</c> (parsed by the comparison scripts: keep the keys).</summary>
public static class BenchOutput
{
    /// <summary>bench=derive ... wall_s= ... all_hold= peak_mb=.</summary>
    public static string Derive(Architecture arch, Target target, DerivationReport median, int runs, double peakMb) => string.Create(CultureInfo.InvariantCulture,
        $"bench=derive widths={arch} target={target.Describe()} mode={median.Mode.ToString().ToLowerInvariant()} wall_s={median.Elapsed.TotalSeconds:F3} runs={runs} " +
        $"loss_terms={median.LossTerms} flow_equations={median.FlowEquations} flow_terms={median.FlowTerms} " +
        $"conservation_identities={median.ConservationIdentities} closed_form_checks={median.ClosedFormChecks} all_hold={median.AllHold.ToString().ToLowerInvariant()} peak_mb={peakMb:F0}");

    /// <summary>One line per lemma/network check, slowest first: median_s= KEY.</summary>
    public static IEnumerable<string> VerifyTimes(IEnumerable<(string Key, double MedianSeconds)> times) =>
        times.OrderByDescending(t => t.MedianSeconds).Select(t => string.Create(CultureInfo.InvariantCulture, $"median_s={t.MedianSeconds:F3} {t.Key}"));

    /// <summary>bench=verify runs= checks= passed= wall_s=.</summary>
    public static string Verify(int runs, int checks, int passed, double medianWallSeconds) => string.Create(CultureInfo.InvariantCulture,
        $"bench=verify runs={runs} checks={checks} passed={passed} wall_s={medianWallSeconds:F3} (median; lemmas run in parallel on {Environment.ProcessorCount} cores)");

    /// <summary>
    /// bench=simulate ... wall_s= nfev= gap= drift= .... gflops= is the right-hand side's flops over the whole run's
    /// wall time (integrator work included), rhs_gflops= the right-hand side alone at the start state, matvec_gflops=
    /// the machine's rate on a plain C# matrix-vector loop of the largest layer's size, measured in the same process.
    /// </summary>
    public static string Simulate(SimulationRequest request, SimulationReport r, int runs, double peakMb,
        DeepLinearProofs.Dynamics.Flow.FlopRate? rhs = null, DeepLinearProofs.Dynamics.Flow.FlopRate? matvec = null)
    {
        var ic = CultureInfo.InvariantCulture;
        double gflops = r.WallSeconds > 0 ? r.FlopsPerEvaluation * (double)r.Stats!.Evaluations / r.WallSeconds / 1e9 : 0;
        return string.Create(ic,
            $"bench=simulate widths={request.Architecture} method={Vocabularies.Integrator.Name(request.Integrator)} precision={request.Precision} structure={r.Trajectory} rtol={Num.G(request.RelTol, 2)} atol={Num.G(request.AbsTol, 2)} t_max={Num.G(request.TMax)} " +
            $"wall_s={r.WallSeconds:F4} nfev={r.Stats!.Evaluations} steps={r.Stats.Steps} rejected={r.Stats.Rejected} exit={r.Stats.Exit} " +
            $"gap={Num.Sci(r.FinalGap, 3)} drift={Num.Sci(r.MaxDrift, 2)} flops_per_eval={r.FlopsPerEvaluation} dense_flops_per_eval={r.DenseFlopsPerEvaluation} z={r.TargetApplication} gflops={Num.F(gflops, 2)}")
            + (rhs is null ? "" : string.Create(ic, $" rhs_gflops={Num.F(rhs.GigaflopsPerSecond, 2)} rhs_us={Num.F(rhs.Seconds / rhs.Repetitions * 1e6, 2)}"))
            + (matvec is null ? "" : string.Create(ic, $" matvec_gflops={Num.F(matvec.GigaflopsPerSecond, 2)}"))
            + string.Create(ic, $" runs={runs} peak_mb={peakMb:F0}");
    }
    /// <summary>bench=sweep ... unbatched_starts_per_s= batched_starts_per_s= speedup= same_limits= same_first_break=.</summary>
    public static string Sweep(SweepRequest req, SweepReport unbatched, SweepReport batched, bool sameLimits, bool sameBreak, int runs)
    {
        double a = req.Count / unbatched.WallSeconds, b = req.Count / batched.WallSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"bench=sweep widths={req.Architecture} target={req.Target.Describe()} count={req.Count} method={Vocabularies.Integrator.Name(req.Integrator)} t_max={Num.G(req.TMax)} rtol={Num.G(req.RelTol, 2)} " +
            $"unbatched_s={Num.F(unbatched.WallSeconds, 3)} batched_s={Num.F(batched.WallSeconds, 3)} unbatched_starts_per_s={Num.F(a, 1)} batched_starts_per_s={Num.F(b, 1)} speedup={Num.F(b / a, 2)} " +
            $"same_limits={sameLimits.ToString().ToLowerInvariant()} same_first_break={sameBreak.ToString().ToLowerInvariant()} breaks={batched.Breaks} " +
            $"integration=\"{batched.Integration}\" runs={runs} cores={Environment.ProcessorCount} (median of interleaved runs)");
    }
}
