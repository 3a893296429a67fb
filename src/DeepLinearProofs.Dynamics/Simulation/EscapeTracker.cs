using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>
/// Follows a run whose start a theorem puts on the stable set of saddle i (T11 or T14): records the arrival at
/// the saddle, the measured violation eps = |p_1| there (the instantaneous escape component, which is exactly 0
/// on the invariant set), and predicts the escape time t_arrive + ln(|p_i|/eps)/rate (docs/theory.md, section 7).
/// </summary>
internal sealed class EscapeTracker
{
    private readonly CriticalPoints _cp;
    private readonly WeightLayout _layout;
    private readonly LimitPrediction? _prediction;
    private readonly int _saddle;
    private double? _arrival, _violation, _own, _escape;

    public EscapeTracker(CriticalPoints cp, WeightLayout layout, LimitPrediction? prediction)
    {
        _cp = cp;
        _layout = layout;
        _prediction = prediction;
        _saddle = prediction is { Class: LimitClass.Saddle, EscapeRate: not null } ? prediction.Index : 0;
    }

    public void Observe(double t, double[] w, double loss)
    {
        if (_saddle == 0) return;
        double li = _cp.Loss(_saddle), spread = _cp.OriginLoss - _cp.MinimumLoss;
        if (_arrival is null && Math.Abs(loss - li) < 1e-4 * spread && _prediction!.Components(_layout, w, _saddle) is var (p1, pi))
        {
            _arrival = t;
            _violation = Math.Abs(p1);
            _own = Math.Abs(pi);
        }
        else if (_arrival is not null && _escape is null && loss < li - 0.5 * (li - _cp.Loss(_saddle - 1)))
            _escape = t;
    }

    public EscapePrediction? Result()
    {
        if (_saddle == 0 || _arrival is not double arrival) return null;
        double rate = _prediction!.EscapeRate!.Value;
        double? predicted = _violation > 0 ? arrival + Math.Log(_own!.Value / _violation!.Value) / rate : null;
        return new EscapePrediction(_saddle, arrival, _violation!.Value, _own!.Value, rate, predicted, _escape);
    }
}
