using System.Diagnostics;
using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Smt;

/// <summary>Outcome of one obligation. Proved only from unsat; Refuted only with a model confirmed exactly.</summary>
public enum SmtStatus { Proved, Refuted, Unknown }

/// <summary>The verdict on one obligation, with the countermodel when refuted.</summary>
public sealed record SmtVerdict(SmtStatus Status, string Basis, string Detail, IReadOnlyDictionary<Variable, Rational>? Countermodel, TimeSpan Elapsed, string Script);

/// <summary>
/// Runs obligations on a solver (and optionally a second route) and turns answers into verdicts:
/// unsat is proved; sat is refuted only when every assertion holds at the model in exact rational
/// arithmetic (missing variables are set to 0); everything else is unknown with the reason.
/// </summary>
public static class ObligationChecker
{
    public static SmtVerdict Check(Obligation o, ISolver solver, SolverBudget budget, ISolver? second = null, CancellationToken cancel = default)
    {
        var script = SmtLib.Script(o, budget.Rlimit);
        var clock = Stopwatch.StartNew();
        var answer = solver.Check(script, budget, cancel);
        var verdict = Interpret(o, answer, solver.Name, script, clock);
        if (answer is SolverAnswer.Sat { Irrationals.Count: > 0 } irrational)
            verdict = Rationalize(o, irrational, solver, budget, cancel) is { } rational ? rational with { Script = script, Elapsed = clock.Elapsed } : verdict;
        if (second is null || verdict.Status != SmtStatus.Proved) return verdict;
        var other = second.Check(script, budget, cancel);
        clock.Stop();
        return other switch
        {
            SolverAnswer.Unsat => verdict with { Basis = $"smt:{solver.Name}+{second.Name}", Detail = verdict.Detail + $"; {second.Name} agrees (unsat)", Elapsed = clock.Elapsed },
            SolverAnswer.Sat => verdict with { Status = SmtStatus.Unknown, Detail = $"DISAGREEMENT: {solver.Name} unsat but {second.Name} sat", Elapsed = clock.Elapsed },
            SolverAnswer.Unknown u => verdict with { Status = SmtStatus.Unknown, Detail = $"{solver.Name} unsat; second route {second.Name} unknown: {u.Reason}", Elapsed = clock.Elapsed },
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static readonly Rational[] PinCandidates = [0, 1, -1, 2, -2, Rational.Create(1, 2), 3, -3];

    /// <summary>
    /// A sat answer with irrational values is not a confirmed refutation. Try to find a rational model of the
    /// same obligation by pinning one irrational variable at a time to a small rational (a few solver calls);
    /// the pins are extra assertions, so any model found is still a model of the obligation.
    /// </summary>
    private static SmtVerdict? Rationalize(Obligation o, SolverAnswer.Sat first, ISolver solver, SolverBudget budget, CancellationToken cancel)
    {
        var pins = new List<Assertion>();
        var current = first;
        var byName = o.Variables().ToDictionary(v => v.Name);
        int calls = 32;
        for (int round = 0; round < 3 && current.Irrationals.Count > 0 && calls > 0; round++)
        {
            (Assertion Pin, SolverAnswer.Sat Sat)? best = null;
            foreach (var name in current.Irrationals.Keys.Take(3))
            {
                if (!byName.TryGetValue(name, out var variable)) return null;
                foreach (var value in PinCandidates)
                {
                    if (--calls < 0) break;
                    var pin = new Assertion($"rational search: pin {name} = {value}", Formula.Atom(Polynomial.Var(variable) - Polynomial.Constant(value), Relation.Eq));
                    var pinned = o with { Assertions = o.Assertions.Concat(pins).Append(pin).ToList() };
                    if (solver.Check(SmtLib.Script(pinned, budget.Rlimit), budget, cancel) is not SolverAnswer.Sat sat) continue;
                    if (best is null || sat.Irrationals.Count < best.Value.Sat.Irrationals.Count) best = (pin, sat);
                    if (sat.Irrationals.Count == 0) break;
                }
                if (best is { Sat.Irrationals.Count: 0 }) break;
            }
            if (best is null) return null;
            pins.Add(best.Value.Pin);
            current = best.Value.Sat;
        }
        if (current.Irrationals.Count > 0) return null;
        var verdict = Interpret(o with { Assertions = o.Assertions.Concat(pins).ToList() }, current, solver.Name, "", Stopwatch.StartNew());
        return verdict.Status == SmtStatus.Refuted
            ? verdict with { Detail = verdict.Detail + $" (rational model found by pinning {string.Join(", ", pins.Select(p => p.Comment["rational search: pin ".Length..]))})" }
            : null;
    }

    public static SmtVerdict Interpret(Obligation o, SolverAnswer answer, string solverName, string script, Stopwatch clock)
    {
        switch (answer)
        {
            case SolverAnswer.Unsat:
                return new SmtVerdict(SmtStatus.Proved, $"smt:{solverName}", "unsat", null, clock.Elapsed, script);
            case SolverAnswer.Unknown u:
                return new SmtVerdict(SmtStatus.Unknown, $"smt:{solverName}", u.Reason, null, clock.Elapsed, script);
            case SolverAnswer.Sat sat:
                var vars = o.Variables();
                var irrational = vars.Where(v => sat.Irrationals.ContainsKey(v.Name)).ToList();
                if (irrational.Count > 0)
                    return new SmtVerdict(SmtStatus.Unknown, $"smt:{solverName}",
                        $"solver found a countermodel with irrational values ({string.Join(", ", irrational.Select(v => $"{v.Name} = {sat.Irrationals[v.Name]}"))}); not confirmed exactly",
                        null, clock.Elapsed, script);
                var point = vars.ToDictionary(v => v, v => sat.Rationals.GetValueOrDefault(v.Name));
                var failing = o.Assertions.FirstOrDefault(a => !a.Formula.Holds(v => point.GetValueOrDefault(v)));
                if (failing is not null)
                    return new SmtVerdict(SmtStatus.Unknown, $"smt:{solverName}",
                        $"solver model does not satisfy '{failing.Comment}' in exact arithmetic: malformed model, not a refutation", null, clock.Elapsed, script);
                return new SmtVerdict(SmtStatus.Refuted, $"smt:{solverName}",
                    "countermodel (confirmed exactly): " + string.Join(", ", point.Select(kv => $"{kv.Key.Name}={kv.Value}")), point, clock.Elapsed, script);
            default:
                throw new InvalidOperationException("unreachable");
        }
    }
}
