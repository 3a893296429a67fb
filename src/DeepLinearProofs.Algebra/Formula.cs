namespace DeepLinearProofs.Algebra;

/// <summary>Comparison of a polynomial with zero.</summary>
public enum Relation { Eq, Ne, Lt, Le, Gt, Ge }

/// <summary>
/// Quantifier-free formula over polynomial (in)equalities <c>p REL 0</c> with and/or/not/implies,
/// the language of the SMT obligations (QF_NRA). Exact evaluation at rational points is built in,
/// so a solver's countermodel can be confirmed in our own arithmetic.
/// </summary>
public abstract record Formula
{
    public static readonly Formula True = new AndFormula([]);
    public static readonly Formula False = new OrFormula([]);

    public static Formula Atom(Polynomial p, Relation r) => new AtomFormula(p, r);
    public static Formula And(params IEnumerable<Formula> parts) => new AndFormula(parts.ToList());
    public static Formula Or(params IEnumerable<Formula> parts) => new OrFormula(parts.ToList());
    public static Formula Not(Formula f) => new NotFormula(f);
    public static Formula Implies(Formula a, Formula b) => new ImpliesFormula(a, b);

    /// <summary>Truth value at a point assigning every variable (exact).</summary>
    public abstract bool Holds(Func<Variable, Rational> point);

    /// <summary>The variables occurring in the formula.</summary>
    public abstract IEnumerable<Variable> Variables();

    /// <summary>Applies f to every atom's polynomial.</summary>
    public abstract Formula MapPolynomials(Func<Polynomial, Polynomial> f);

    public static bool Compare(Rational v, Relation r) => r switch
    {
        Relation.Eq => v.IsZero,
        Relation.Ne => !v.IsZero,
        Relation.Lt => v.Sign < 0,
        Relation.Le => v.Sign <= 0,
        Relation.Gt => v.Sign > 0,
        _ => v.Sign >= 0,
    };
}

public sealed record AtomFormula(Polynomial Polynomial, Relation Relation) : Formula
{
    public override bool Holds(Func<Variable, Rational> point) => Compare(Polynomial.Evaluate(point), Relation);
    public override IEnumerable<Variable> Variables() => Polynomial.Variables();
    public override Formula MapPolynomials(Func<Polynomial, Polynomial> f) => new AtomFormula(f(Polynomial), Relation);
    public override string ToString() => $"{Polynomial} {Symbol(Relation)} 0";

    public static string Symbol(Relation r) => r switch
    {
        Relation.Eq => "==", Relation.Ne => "!=", Relation.Lt => "<", Relation.Le => "<=", Relation.Gt => ">", _ => ">=",
    };
}

public sealed record AndFormula(IReadOnlyList<Formula> Parts) : Formula
{
    public override bool Holds(Func<Variable, Rational> point) => Parts.All(p => p.Holds(point));
    public override IEnumerable<Variable> Variables() => Parts.SelectMany(p => p.Variables());
    public override Formula MapPolynomials(Func<Polynomial, Polynomial> f) => new AndFormula(Parts.Select(p => p.MapPolynomials(f)).ToList());
    public override string ToString() => Parts.Count == 0 ? "true" : string.Join(" and ", Parts.Select(p => $"({p})"));
}

public sealed record OrFormula(IReadOnlyList<Formula> Parts) : Formula
{
    public override bool Holds(Func<Variable, Rational> point) => Parts.Any(p => p.Holds(point));
    public override IEnumerable<Variable> Variables() => Parts.SelectMany(p => p.Variables());
    public override Formula MapPolynomials(Func<Polynomial, Polynomial> f) => new OrFormula(Parts.Select(p => p.MapPolynomials(f)).ToList());
    public override string ToString() => Parts.Count == 0 ? "false" : string.Join(" or ", Parts.Select(p => $"({p})"));
}

public sealed record NotFormula(Formula Operand) : Formula
{
    public override bool Holds(Func<Variable, Rational> point) => !Operand.Holds(point);
    public override IEnumerable<Variable> Variables() => Operand.Variables();
    public override Formula MapPolynomials(Func<Polynomial, Polynomial> f) => new NotFormula(Operand.MapPolynomials(f));
    public override string ToString() => $"not ({Operand})";
}

public sealed record ImpliesFormula(Formula Premise, Formula Conclusion) : Formula
{
    public override bool Holds(Func<Variable, Rational> point) => !Premise.Holds(point) || Conclusion.Holds(point);
    public override IEnumerable<Variable> Variables() => Premise.Variables().Concat(Conclusion.Variables());
    public override Formula MapPolynomials(Func<Polynomial, Polynomial> f) => new ImpliesFormula(Premise.MapPolynomials(f), Conclusion.MapPolynomials(f));
    public override string ToString() => $"({Premise}) => ({Conclusion})";
}
