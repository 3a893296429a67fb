using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Reduced;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>
/// Follows a run whose start a theorem puts on the stable set of saddle i (T11 or T14): records the arrival at
/// the saddle, the measured violation eps = |p_1| there (the instantaneous escape component, which is exactly 0
/// on the invariant set), and predicts the escape time t_arrive + ln(|p_i|/eps)/rate (THEORY section 7).
/// </summary>
internal sealed class EscapeTracker
{
    private readonly NumericTarget _z;
    private readonly CriticalPoints _cp;
    private readonly WeightLayout _layout;
    private readonly LimitPrediction? _prediction;
    private readonly int _saddle;
    private double? _arrival, _violation, _own, _escape;

    public EscapeTracker(SimulationRequest req, NumericTarget z, CriticalPoints cp, WeightLayout layout, LimitPrediction? prediction)
    {
        _z = z;
        _cp = cp;
        _layout = layout;
        _prediction = prediction;
        _saddle = prediction is { Class: LimitClass.Saddle, EscapeRate: not null } ? prediction.Index : 0;
    }

    public void Observe(double t, double[] w, double loss)
    {
        if (_saddle == 0) return;
        double li = _cp.Loss(_saddle), spread = _cp.OriginLoss - _cp.MinimumLoss;
        if (_arrival is null && Math.Abs(loss - li) < 1e-4 * spread)
        {
            var (p1, pi) = Components(w);
            _arrival = t;
            _violation = Math.Abs(p1);
            _own = Math.Abs(pi);
        }
        else if (_arrival is not null && _escape is null && loss < li - 0.5 * (li - _cp.Loss(_saddle - 1)))
            _escape = t;
    }

    /// <summary>The instantaneous p_1 (escape direction) and p_i (the saddle's own mode) of state w.</summary>
    private (double P1, double Pi) Components(double[] w)
    {
        int k = _layout.Architecture.OneNeuronLayer ?? 0;
        if (_prediction!.Theorem == "T14")
        {
            var (a, b) = new NetworkState(_layout, w).Factors(1);
            var modes = new TwoLayerModes(_z, a, b);
            return (modes.P(0), modes.P(_saddle - 1));
        }
        var (av, bv) = new NetworkState(_layout, w).Factors(k);
        double na = Math.Sqrt(av.Sum(v => v * v)), nb = Math.Sqrt(bv.Sum(v => v * v));
        double P(int i) => _z.UComponent(i, av) / na + _z.VComponent(i, bv) / nb;
        return (P(0), P(_saddle - 1));
    }


    public EscapePrediction? Result()
    {
        if (_saddle == 0 || _arrival is not double arrival) return null;
        double rate = _prediction!.EscapeRate!.Value;
        double? predicted = _violation > 0 ? arrival + Math.Log(_own!.Value / _violation!.Value) / rate : null;
        return new EscapePrediction(_saddle, arrival, _violation!.Value, _own!.Value, rate, predicted, _escape);
    }
}
