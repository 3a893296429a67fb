using System.Globalization;
using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// <c>converges</c>: simulate from the claim's start and compare the classified limit (and optionally stage rates)
/// with the expectation. The outcome is numerical evidence (Supported / Contradicted), never Proved.
/// </summary>
public static class ConvergesMethod
{
    public static Verdict Check(ConvergesClaim claim, NetworkSpec network, CancellationToken cancel) => Check(claim, network, cancel, out _);

    /// <summary>The verdict and the simulation it rests on.</summary>
    public static Verdict Check(ConvergesClaim claim, NetworkSpec network, CancellationToken cancel, out SimulationReport? simulation)
    {
        simulation = null;
        var spec = claim.Simulation;
        var arch = network.Architecture;
        var layout = new WeightLayout(arch);
        var z = NumericTarget.Of(arch, network.Target);
        var start = spec.Init is string init ? Initialisation.Parse(init, layout)
            : claim.Point.Count > 0 ? Initialisation.FromMatrices(claim.Point, layout, "exact point")
            : throw new ClaimException("method converges needs a start: init = \"balanced:...\" | \"random:...\" | \"weights:...\", or a [claim.point] / [network.point] table", 0);
        var request = new SimulationRequest(arch, network.Target, z, start)
        {
            TMax = spec.TMax,
            RelTol = spec.RelTol,
            AbsTol = spec.AbsTol,
            Integrator = spec.Integrator,
            Precision = spec.Precision,
            Reduction = spec.Reduction,
            Projection = spec.Projection,
        };
        SimulationReport report;
        try { report = Simulator.Run(request, cancel); }
        catch (RequestFieldException e) { throw new ClaimException($"{SimulationSpec.Key(e.Field)} {e.Problem}", spec.Line); }
        simulation = report;
        var basis = $"evidence: {report.Provenance}";
        var c = report.Classification;
        string found = c.Limit;
        var details = new List<string> { $"limit {found} [{c.Basis}]" };
        if (report.Escape is { } esc)
            details.Add($"escape from saddle {esc.Saddle}: eps {Num.Sci(esc.Violation, 2)}, predicted t ~ {(esc.PredictedEscape is double p ? p.ToString("g4", CultureInfo.InvariantCulture) : "never")}, observed {(esc.ObservedEscape is double o ? o.ToString("g4", CultureInfo.InvariantCulture) : "none by t_max")}");
        bool limitOk = spec.Limit.Matches(c.Class, c.Index);
        if (c.Class == LimitClass.Undetermined && spec.Limit.Class != LimitClass.Undetermined)
            return Verdict.Unknown(basis, $"undetermined: {c.EvidenceLines[^1]}");
        bool ratesOk = true;
        foreach (var rate in spec.Rates)
        {
            var stage = report.Stages.FirstOrDefault(s => s.Type == rate.Stage);
            string stageName = Vocabularies.Stage.Name(rate.Stage);
            double? want = rate.Value ?? stage?.Predicted;
            if (stage?.Fitted is not double fitted || want is not double target)
            {
                ratesOk = false;
                details.Add(stage is null ? $"no {stageName} stage was found in the loss curve" : $"{stageName} stage: {(stage.Fitted is null ? "too few points to fit" : "no predicted rate for this start")}");
                continue;
            }
            double rel = Math.Abs(fitted - target) / Math.Abs(target);
            bool ok = rel <= rate.Tolerance;
            // A fit may contradict a prediction only in the asymptotic regime: the rates of the window's two halves agree.
            if (!ok && stage.Asymptotic != true)
            {
                string halves = stage.FirstHalf is double h1 && stage.SecondHalf is double h2
                    ? string.Create(CultureInfo.InvariantCulture, $"the rate fitted on the window's halves moves from {h1:g5} to {h2:g5}")
                    : "the window is too short to check that the rate has settled";
                return Verdict.Unknown(basis, string.Create(CultureInfo.InvariantCulture,
                    $"undetermined (not yet asymptotic): {stage.Kind} [{stage.From:g4}, {stage.To:g4}] fitted {fitted:g5} vs {target:g5}, but {halves}; a longer run (larger t_max, tighter rtol/atol, or double-double) reaches the asymptotic regime"));
            }
            ratesOk &= ok;
            details.Add(string.Create(CultureInfo.InvariantCulture,
                $"{stage.Kind} [{stage.From:g4}, {stage.To:g4}] {stage.Quantity}: fitted {fitted:g5} vs {(rate.Predicted ? "predicted" : "expected")} {target:g5} (relative difference {Num.Sci(rel, 1)}, tolerance {rate.Tolerance:g2}){(ok ? "" : " OUTSIDE")}"));
        }
        details.Add($"C_j drift {Num.Sci(report.MaxDrift, 1)}; numerical evidence, not a proof");
        var detail = (limitOk ? "" : $"expected {spec.Limit}, found {found}; ") + string.Join("; ", details);
        return limitOk && ratesOk ? Verdict.Supported(basis, detail) : Verdict.Contradicted(basis, detail);
    }
}
