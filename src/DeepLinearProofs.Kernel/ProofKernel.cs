using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Kernel;

/// <summary>
/// The trusted kernel: the only code that makes Proved, Refuted or Vacuous. Each rule takes a statement (polynomials and
/// formulas) with its certificate data, re-checks everything exactly (normal forms, cofactor products, countermodels against
/// the statement as written, with every hypothesis and every set constraint) and trusts exactly one outside fact: a solver's
/// unsat on an SMT-LIB text this kernel wrote. Square roots are partial: their domain is an obligation, never an assumption.
/// </summary>
public static partial class ProofKernel
{
    public const string Version = "1.0";

    /// <summary>Non-blank source lines of this kernel, counted at build time.</summary>
    public static int SourceLines => int.TryParse(typeof(ProofKernel).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .OfType<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "KernelLines")?.Value, out var n) ? n : 0;

    // ---------------------------------------------------------------- identity

    /// <summary>Every equation holds identically: lhs - rhs is the zero polynomial (modulo r^2 = R for each square root r).</summary>
    public static Verdict Identity(IdentityStatement s, KernelSession k) => Seal(IdentityRule(s, k), "identity", s, k);

    private static Verdict IdentityRule(IdentityStatement s, KernelSession k)
    {
        if (s.Equations.Count == 0) return Verdict.Vacuous("exact", "no entries to compare: nothing was checked");
        if (Twice(s.Witness.Select(a => a.Variable)) is { } twice) return Verdict.Error("exact", $"the witness assigns {twice} twice");
        if (WellDefined(s.Roots, k) is { } bad) return bad;
        k.UsedExact = true;
        foreach (var e in s.Equations)
        {
            var d = ReduceRoots(e.Lhs - e.Rhs, s.Roots);
            if (d.IsZero) continue;
            if (s.Roots.Count > 0)
            {
                var point = Point(s.Witness);
                if (s.Witness.Count > 0 && RootsHold(s.Roots, point) && (e.Lhs - e.Rhs).Evaluate(v => point.GetValueOrDefault(v)) is { IsZero: false } value)
                    return Verdict.Refuted(k.Basis, $"{e.Label}: lhs - rhs = {value} at a point where every square root is defined", Model(point, value));
                return Verdict.Unknown(k.Basis, $"{e.Label}: lhs - rhs is not zero modulo the square roots' relations, which does not refute an identity with square roots");
            }
            var (m, c) = d.OrderedTerms()[0];
            var at = Point(s.Witness);
            var v = d.Evaluate(x => at.GetValueOrDefault(x));
            return v.IsZero
                ? Verdict.Refuted(k.Basis, $"{e.Label}: lhs - rhs is the non-zero polynomial with {d.TermCount} term(s), first {Polynomial.Term(c, m)} (a non-zero polynomial over Q is non-zero somewhere)", null)
                : Verdict.Refuted(k.Basis, $"{e.Label}: lhs - rhs has {d.TermCount} term(s), first {Polynomial.Term(c, m)}; {Model(at, v)}", Model(at, v));
        }
        return Verdict.Proved(k.Basis, $"{s.Equations.Count} entr{(s.Equations.Count == 1 ? "y" : "ies")} equal in normal form" + (s.Roots.Count > 0 ? " (modulo the square roots' relations r^2 = R)" : ""));
    }

    // ---------------------------------------------------------------- forall

    /// <summary>hypotheses =&gt; claim for all real values: proved from unsat of hypotheses ∧ ¬claim, after the square roots' domains and non-vacuity.</summary>
    public static Verdict Forall(ForallStatement s, KernelSession k) => Seal(s.Reduction is { } r ? RankOne(s, r, k) : ForallRule(s, s, m => m, [("claim", null, null)], k), "forall", s, k);

    private static Verdict ForallRule(ForallStatement original, ForallStatement effective, Func<Dictionary<Variable, Rational>, Dictionary<Variable, Rational>> lift,
        IReadOnlyList<(string Name, Labeled? Extra, IReadOnlyDictionary<Variable, Polynomial>? Substitution)> cases, KernelSession k)
    {
        if (effective.Claim.Formula is AndFormula { Parts.Count: 0 })
            return Verdict.Vacuous("exact", "the claim is an empty conjunction (e.g. all(...) over an empty range): nothing was checked");
        var premises = Premises(effective);
        var all = effective.Hypotheses.Select(h => h.Formula).Append(effective.Claim.Formula).Concat(effective.Roots.Select(r => r.Guard)).ToList();
        if (!all.SelectMany(f => f.Variables()).Any() && effective.Roots.Count == 0)
        {
            k.UsedExact = true;
            var empty = new Dictionary<Variable, Rational>();
            if (!premises.All(p => p.Formula.Holds(_ => Rational.Zero))) return Verdict.Vacuous(k.Basis, "no free variables and the hypotheses are false: nothing to prove");
            return original.Claim.Formula.Holds(_ => Rational.Zero)
                ? Verdict.Proved(k.Basis, "no free variables: the claim holds, exactly")
                : Verdict.Refuted(k.Basis, "no free variables: the hypotheses hold and the claim fails, exactly", Model(empty, null));
        }
        if (WellDefined(effective.Roots, k) is { } bad) return bad;
        var defs = effective.Roots.Select(Definition).ToList();
        if (premises.Count > 0)
        {
            switch (k.Ask("hypotheses-satisfiable", premises.Concat(defs).ToList()))
            {
                case SmtReply.Unsat:
                    k.UsedSolver();
                    return Verdict.Vacuous(k.Basis, "the hypotheses (with the claim's premise) cannot hold together: the claim holds vacuously, nothing was proved about any point");
                case SmtReply.Sat sat:
                    var w = lift(Point(sat.Model, effective));
                    if (!RootsHold(original.Roots, w) || !Premises(original).All(p => p.Formula.Holds(v => w.GetValueOrDefault(v))))
                        return Verdict.Unknown(k.Basis, "the solver's model of the hypotheses does not check exactly, so non-vacuity is not confirmed");
                    break;
                case SmtReply.Unknown u:
                    return Verdict.Unknown(k.Basis, $"could not confirm that the hypotheses can hold (needed before a non-vacuous proof): {u.Reason}");
            }
        }
        foreach (var (name, extra, substitution) in cases)
        {
            IEnumerable<Labeled> assertions = effective.Hypotheses.Concat(defs).Append(new Labeled($"negated claim: {effective.Claim.Label}", Formula.Not(effective.Claim.Formula)));
            if (extra is not null) assertions = assertions.Append(extra);
            if (substitution is not null) assertions = assertions.Select(a => a with { Formula = a.Formula.MapPolynomials(p => p.Substitute(substitution)) });
            switch (k.Ask(name.Replace(' ', '-').Replace("|", "").Replace("^", ""), assertions.ToList()))
            {
                case SmtReply.Unsat:
                    k.UsedSolver();
                    continue;
                case SmtReply.Sat sat:
                    var model = Point(sat.Model, effective);
                    if (extra is not null) foreach (var v in extra.Formula.Variables()) model[v] = sat.Model.GetValueOrDefault(v.Name);
                    if (substitution is not null)
                        foreach (var (v, p) in substitution) model[v] = p.Evaluate(x => model.GetValueOrDefault(x));
                    var w = lift(model);
                    k.UsedSolver();
                    bool confirmed = RootsHold(original.Roots, w) && original.Hypotheses.All(h => h.Formula.Holds(v => w.GetValueOrDefault(v)))
                        && !original.Claim.Formula.Holds(v => w.GetValueOrDefault(v));
                    return confirmed
                        ? Verdict.Refuted(k.Basis, $"{name}: countermodel checked exactly against the statement as written (every hypothesis holds, the claim fails) {Model(w, null)}", Model(w, null))
                        : Verdict.Unknown(k.Basis, $"{name}: the solver's model does not refute the statement as written in exact arithmetic (irrational or malformed): not a refutation");
                case SmtReply.Unknown u:
                    return Verdict.Unknown(k.Basis, $"{name}: {u.Reason}");
            }
        }
        return Verdict.Proved(k.Basis, $"{string.Join(", ", cases.Select(c => c.Name))}: unsat" + (premises.Count > 0 ? "; the hypotheses are satisfiable (model checked)" : "") +
            (effective.Roots.Count > 0 ? "; every square root is defined where it is used" : ""));
    }

    /// <summary>The hypotheses, and the premise of a claim of the form A =&gt; B: what must be satisfiable for a proof to say anything.</summary>
    private static List<Labeled> Premises(ForallStatement s)
    {
        var list = s.Hypotheses.ToList();
        if (Premise(s.Claim.Formula) is { } p) list.Add(new Labeled($"premise of the claim: {s.Claim.Label}", p));
        return list;
    }

    /// <summary>
    /// Where the claim says anything: A for A =&gt; B (with B's own premise), the disjunction of the parts' premises for a
    /// conjunction of implications; null when the claim constrains every point.
    /// </summary>
    private static Formula? Premise(Formula f)
    {
        if (f is ImpliesFormula imp) return Premise(imp.Conclusion) is { } inner ? Formula.And(imp.Premise, inner) : imp.Premise;
        if (f is not AndFormula { Parts.Count: > 0 } conjunction) return null;
        var premises = conjunction.Parts.Select(Premise).ToList();
        if (premises.Any(p => p is null)) return null;
        return premises.Count == 1 ? premises[0] : Formula.Or(premises.Select(p => p!));
    }

    // ---------------------------------------------------------------- membership

    /// <summary>The exact point satisfies the set's formula: decided exactly, or with SMT where a square root stays irrational.</summary>
    public static Verdict Membership(MembershipStatement s, KernelSession k) => Seal(MembershipRule(s, k), "membership", s, k);

    private static Verdict MembershipRule(MembershipStatement s, KernelSession k)
    {
        if (Unfounded(s.Roots) is { } why) return Verdict.Error("exact", $"the square roots are not well-founded: {why}");
        if (Twice(s.Point.Select(a => a.Variable)) is { } twice) return Verdict.Error("exact", $"the point assigns {twice} twice");
        var point = Point(s.Point);
        var constants = point.ToDictionary(p => p.Key, p => Polynomial.Constant(p.Value));
        var remaining = new List<SquareRoot>();
        k.UsedExact = true;
        foreach (var root in s.Roots)
        {
            var r = root.Radicand.Substitute(constants);
            var guard = root.Guard.MapPolynomials(p => p.Substitute(constants));
            bool guardKnown = !guard.Variables().Any();
            if (r.IsConstant && guardKnown && !guard.Holds(_ => Rational.Zero)) { constants[root.Root] = Polynomial.Zero; continue; }
            if (r.IsConstant && guardKnown && r.ConstantTerm.Sign < 0)
                return Verdict.Error(k.Basis, $"ill-formed: sqrt({root.Radicand}) is the square root of the negative number {r.ConstantTerm} at this point");
            if (r.IsConstant && r.ConstantTerm.TrySqrt() is { } exact) { constants[root.Root] = Polynomial.Constant(exact); continue; }
            remaining.Add(new SquareRoot(root.Root, r, guard));
        }
        var set = s.Set.Formula.MapPolynomials(p => p.Substitute(constants));
        var free = set.Variables().Concat(remaining.SelectMany(r => r.Radicand.Variables().Concat(r.Guard.Variables()))).Distinct().Except(remaining.Select(r => r.Root)).ToList();
        if (free.Count > 0) return Verdict.Error(k.Basis, $"the point does not fix {string.Join(", ", free.Take(5).Select(v => v.Name))}: give every layer and a concrete target");
        var cm = Model(constants.Where(c => c.Value.IsConstant).ToDictionary(c => c.Key, c => c.Value.ConstantTerm), null);
        if (remaining.Count == 0)
            return set.Holds(_ => Rational.Zero)
                ? Verdict.Proved(k.Basis, "the point satisfies the set's conditions (exact)")
                : Verdict.Refuted(k.Basis, "the point is outside the set (exact)", cm);
        if (WellDefined(remaining, k) is { } bad) return bad;
        var defs = remaining.Select(Definition).ToList();
        if (k.Ask("membership-inside", defs.Append(new Labeled($"the point violates: {s.Set.Label}", Formula.Not(set))).ToList()) is SmtReply.Unsat)
        {
            k.UsedSolver();
            return Verdict.Proved(k.Basis, "the point satisfies the set's conditions (irrational square roots by SMT)");
        }
        if (k.Ask("membership-outside", defs.Append(new Labeled($"the point satisfies: {s.Set.Label}", set)).ToList()) is SmtReply.Unsat)
        {
            k.UsedSolver();
            return Verdict.Refuted(k.Basis, "the point is outside the set (irrational square roots by SMT)", cm);
        }
        return Verdict.Unknown(k.Basis, "membership undecided: the solver settled neither side");
    }

    // ---------------------------------------------------------------- conjunction

    /// <summary>
    /// The conjunction of kernel verdicts (a claim over every index of a loop, or every part of a certificate): proved when every
    /// part is proved or vacuous and at least one is proved; no parts, or only vacuous ones, is vacuous.
    /// </summary>
    public static Verdict All(IReadOnlyList<Verdict> parts, string what)
    {
        if (parts.Any(p => p.Status is Status.Supported or Status.Contradicted))
            throw new ArgumentException("numerical evidence cannot be conjoined into a proof");
        var basis = CombinedBasis(parts.Select(p => p.Basis));
        var certificate = new Certificate("all", what, null, [], parts.Select(p => p.Certificate).OfType<Certificate>().ToList(), Status.Unknown);
        foreach (var status in new[] { Status.Refuted, Status.Error, Status.Unknown })
            if (parts.FirstOrDefault(p => p.Status == status) is { } first) return first.With(certificate with { Status = status }, basis);
        var verdict = parts.Count == 0 || parts.All(p => p.Status == Status.Vacuous)
            ? Verdict.Vacuous(basis, parts.Count == 0 ? $"{what}: nothing to check" : $"{what}: every part is vacuous")
            : Verdict.Proved(basis, $"{what}: {parts.Count(p => p.Status == Status.Proved)} part(s) proved" + (parts.Any(p => p.Status == Status.Vacuous) ? $", {parts.Count(p => p.Status == Status.Vacuous)} vacuous" : ""));
        return verdict.With(certificate with { Status = verdict.Status }, basis);
    }

    private static string CombinedBasis(IEnumerable<string> bases)
    {
        var tokens = bases.SelectMany(b => b.Split('+')).Where(t => t.Length > 0).Distinct().ToList();
        var ordered = tokens.Where(t => t == "exact").Concat(tokens.Where(t => t != "exact").Order()).ToList();
        return ordered.Count == 0 ? "exact" : string.Join("+", ordered);
    }

    // ---------------------------------------------------------------- square roots

    /// <summary>r &gt;= 0 and r^2 = R wherever the root is evaluated (its guard).</summary>
    private static Labeled Definition(SquareRoot r)
    {
        var def = Formula.And(Formula.Atom(Polynomial.Var(r.Root), Relation.Ge), Formula.Atom(Polynomial.Var(r.Root).Pow(2) - r.Radicand, Relation.Eq));
        return new Labeled($"definition: {r.Root.Name} = sqrt({r.Radicand}) where it is evaluated", IsTrue(r.Guard) ? def : Formula.Implies(r.Guard, def));
    }

    private static bool IsTrue(Formula f) => f is AndFormula { Parts.Count: 0 };

    /// <summary>
    /// The partial-operation obligations: Guard ∧ (definitions of the roots it refers to) ∧ R &lt; 0 must be unsat for every
    /// root. A checked model is an ill-formed statement (Error); anything else is Unknown. Null when every root is well defined.
    /// </summary>
    private static Verdict? WellDefined(IReadOnlyList<SquareRoot> roots, KernelSession k)
    {
        if (Unfounded(roots) is { } why) return Verdict.Error("exact", $"the square roots are not well-founded: {why}");
        for (int i = 0; i < roots.Count; i++)
        {
            var root = roots[i];
            if (root.Radicand.IsConstant && root.Radicand.ConstantTerm.Sign >= 0) { k.UsedExact = true; continue; }
            var refs = Referenced(roots, root);
            var assertions = refs.Select(Definition).Append(new Labeled("where it is evaluated", root.Guard))
                .Append(new Labeled($"negative radicand: sqrt({root.Radicand})", Formula.Atom(root.Radicand, Relation.Lt))).ToList();
            switch (k.Ask($"sqrt{i + 1}-domain", assertions))
            {
                case SmtReply.Unsat:
                    k.UsedSolver();
                    continue;
                case SmtReply.Sat sat:
                    var p = Point(sat.Model, assertions.Select(a => a.Formula));
                    bool checks = RootsHold(refs, p) && root.Guard.Holds(v => p.GetValueOrDefault(v)) && root.Radicand.Evaluate(v => p.GetValueOrDefault(v)).Sign < 0;
                    return checks
                        ? Verdict.Error(k.Basis, $"ill-formed: sqrt({root.Radicand}) is used where its radicand is negative, {Model(p, null)}; add a hypothesis or guard that keeps it >= 0")
                        : Verdict.Unknown(k.Basis, $"could not show sqrt({root.Radicand}) is defined where it is used (the solver's model did not check exactly)");
                case SmtReply.Unknown u:
                    return Verdict.Unknown(k.Basis, $"could not show sqrt({root.Radicand}) is defined where it is used: {u.Reason}");
            }
        }
        return null;
    }

    /// <summary>
    /// The definitions r_i = sqrt(R_i) (where G_i) are jointly satisfiable at every point (assign them in dependency order)
    /// only when each root is defined once and no root depends on itself through radicands and other roots' guards; why
    /// not, or null. A guard may mention its own root (sqrt(2) used again under sqrt(2) &gt; 1): the domain obligation leaves
    /// the root free there, so it proves G(x, r') =&gt; R(x) &gt;= 0 for every r', and where R(x) &lt; 0 the definition is void.
    /// </summary>
    private static string? Unfounded(IReadOnlyList<SquareRoot> roots)
    {
        var byVar = new Dictionary<Variable, SquareRoot>();
        foreach (var r in roots)
            if (!byVar.TryAdd(r.Root, r)) return $"{r.Root.Name} is defined twice";
        var state = new Dictionary<Variable, bool>(); // false: on the current path, true: done
        string? Visit(Variable v)
        {
            if (state.TryGetValue(v, out var done)) return done ? null : $"sqrt({byVar[v].Radicand}) for {v.Name} depends on itself";
            state[v] = false;
            foreach (var w in byVar[v].Radicand.Variables().Concat(byVar[v].Guard.Variables().Where(g => g != v)).Distinct().Where(byVar.ContainsKey))
                if (Visit(w) is { } cycle) return cycle;
            state[v] = true;
            return null;
        }
        return roots.Select(r => Visit(r.Root)).FirstOrDefault(c => c is not null);
    }

    /// <summary>The roots a root's guard and radicand refer to, transitively (not the root itself).</summary>
    private static List<SquareRoot> Referenced(IReadOnlyList<SquareRoot> roots, SquareRoot root)
    {
        var byVar = roots.ToDictionary(r => r.Root);
        var found = new List<SquareRoot>();
        var todo = new Stack<Variable>(root.Radicand.Variables().Concat(root.Guard.Variables()));
        while (todo.Count > 0)
        {
            var v = todo.Pop();
            if (v == root.Root || !byVar.TryGetValue(v, out var r) || found.Contains(r)) continue;
            found.Add(r);
            foreach (var w in r.Radicand.Variables().Concat(r.Guard.Variables())) todo.Push(w);
        }
        return found;
    }

    /// <summary>At the point, every root whose guard holds has its principal value: r &gt;= 0 and r^2 = R exactly.</summary>
    private static bool RootsHold(IReadOnlyList<SquareRoot> roots, IReadOnlyDictionary<Variable, Rational> point)
    {
        foreach (var r in roots)
        {
            if (!r.Guard.Holds(v => point.GetValueOrDefault(v))) continue;
            var value = point.GetValueOrDefault(r.Root);
            if (value.Sign < 0 || value * value != r.Radicand.Evaluate(v => point.GetValueOrDefault(v))) return false;
        }
        return true;
    }

    /// <summary>The normal form modulo r^2 = R, reducing the latest root first (its radicand may contain earlier ones).</summary>
    private static Polynomial ReduceRoots(Polynomial p, IReadOnlyList<SquareRoot> roots)
    {
        for (int i = roots.Count - 1; i >= 0; i--) p = p.ReduceSquare(roots[i].Root, roots[i].Radicand);
        return p;
    }

    // ---------------------------------------------------------------- points

    private static Dictionary<Variable, Rational> Point(IReadOnlyList<Assignment> assignments) => assignments.ToDictionary(a => a.Variable, a => a.Value);

    /// <summary>A variable listed more than once (a statement must give each one value or one rate), or null.</summary>
    private static string? Twice(IEnumerable<Variable> variables) =>
        variables.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1)?.Key.Name;

    /// <summary>A solver model on the statement's variables; a variable the solver left out may take any value, and 0 is chosen (then checked).</summary>
    private static Dictionary<Variable, Rational> Point(IReadOnlyDictionary<string, Rational> model, ForallStatement s) =>
        Point(model, s.Hypotheses.Select(h => h.Formula).Append(s.Claim.Formula).Concat(s.Roots.Select(r => r.Guard))
            .Concat(s.Roots.Select(r => Formula.Atom(r.Radicand - Polynomial.Var(r.Root), Relation.Eq))));

    private static Dictionary<Variable, Rational> Point(IReadOnlyDictionary<string, Rational> model, IEnumerable<Formula> formulas) =>
        formulas.SelectMany(f => f.Variables()).Distinct().ToDictionary(v => v, v => model.GetValueOrDefault(v.Name));

    private static Countermodel Model(IReadOnlyDictionary<Variable, Rational> point, Rational? difference) =>
        new(point.OrderBy(p => p.Key).Select(p => new Assignment(p.Key, p.Value)).ToList(), difference);

    private static Verdict Seal(Verdict v, string rule, object statement, KernelSession k) =>
        v.With(new Certificate(rule, null, statement, k.Transcript.ToList(), [], v.Status) { Rlimit = k.Rlimit, Header = k.Header }, v.Basis);

    // ---------------------------------------------------------------- replay

    /// <summary>
    /// Re-checks a certificate with the kernel alone: the same rule on the recorded statement, its SMT obligations rebuilt here and
    /// sent to the given route (which may answer recorded models, re-checked exactly, and must re-solve recorded unsat texts).
    /// </summary>
    public static Verdict Replay(Certificate c, ISmtOracle? oracle)
    {
        if (c.Rule == "all") return All(c.Parts.Select(p => Replay(p, oracle)).ToList(), c.What ?? "");
        var k = new KernelSession(oracle, c.Rlimit, c.Header);
        return (c.Rule, c.Statement) switch
        {
            ("identity", IdentityStatement s) => Identity(s, k),
            ("forall", ForallStatement s) => Forall(s, k),
            ("membership", MembershipStatement s) => Membership(s, k),
            ("invariant", InvariantStatement s) => Invariant(s, k),
            ("words", WordStatement s) => Words(s, k),
            _ => Verdict.Error("exact", $"certificate rule '{c.Rule}' with a {c.Statement?.GetType().Name ?? "missing"} statement is not a kernel rule"),
        };
    }
}
