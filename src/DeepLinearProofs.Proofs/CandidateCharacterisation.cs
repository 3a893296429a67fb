using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// A candidate characterisation of the global-minimiser convergent set (docs/theory.md, section 5), written in the lemma
/// language, e.g. "p[1] != 0" is not allowed (square roots) but "P[1,1] > 0" or "a[1,1] + b[1,1] != 0" are.
/// Evaluated exactly at each start (weights read as their exact binary values).
/// </summary>
public static class CandidateCharacterisation
{
    public static Func<double[], bool> Compile(Architecture arch, Target target, string text)
    {
        var model = new NetworkModel(arch, target);
        var ev = new ClaimEvaluator(model, new Dictionary<string, int>());
        Formula formula;
        try { formula = ev.EvaluateFormula(ExprParser.Parse(text)); }
        catch (ExprSyntaxException e) { throw new NetworkInputException($"--candidate at column {e.Position + 1}: {e.Message}"); }
        catch (ClaimException e) { throw new NetworkInputException($"--candidate at column {e.Position + 1}: {e.Message}"); }
        if (ev.Scope.AuxiliaryRadicands.Count > 0)
            throw new NetworkInputException("--candidate may not use sqrt (it is evaluated exactly at each start); square both sides instead");
        var layout = new WeightLayout(arch);
        var index = layout.Variables(model).Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        var unknown = formula.Variables().FirstOrDefault(v => !index.ContainsKey(v));
        if (unknown is not null) throw new NetworkInputException($"--candidate mentions {unknown.Name}, which is not a weight of widths {arch}");
        return w => formula.Holds(v => Rational.FromDouble(w[index[v]]));
    }
}
