namespace DeepLinearProofs.Algebra.Syntax;

/// <summary>Reads a parsed expression as a plain polynomial: numbers, (indexed) variables, + - *, ^ by a
/// non-negative integer and / by a non-zero constant.</summary>
public static class PolynomialReader
{
    public static Polynomial Read(Expr e) => e switch
    {
        NumberExpr n => Polynomial.Constant(n.Value),
        NameExpr n => Polynomial.Var(Variable.Indexed(n.Name, n.Indices.Select(IntegerIndex).ToArray())),
        NegateExpr n => -Read(n.Operand),
        BinaryExpr { Operator: "+" } b => Read(b.Left) + Read(b.Right),
        BinaryExpr { Operator: "-" } b => Read(b.Left) - Read(b.Right),
        BinaryExpr { Operator: "*" } b => Read(b.Left) * Read(b.Right),
        BinaryExpr { Operator: "/" } b => Read(b.Left).Scale(NonZeroConstant(b.Right).Reciprocal()),
        BinaryExpr { Operator: "^" } b => Read(b.Left).Pow(NaturalExponent(b.Right)),
        CallExpr c => throw new ExprSyntaxException($"'{c.Function}(...)' is not a polynomial", c.Position),
        TransposeExpr t => throw new ExprSyntaxException("transpose is not defined for a scalar polynomial", t.Position),
        BinaryExpr b => throw new ExprSyntaxException($"'{b.Operator}' is not allowed in a polynomial", b.Position),
        _ => throw new ExprSyntaxException("unsupported expression", e.Position),
    };

    private static int IntegerIndex(Expr e)
    {
        var p = Read(e);
        if (!p.IsConstant || !p.ConstantTerm.IsInteger) throw new ExprSyntaxException("a variable index must be an integer", e.Position);
        return (int)p.ConstantTerm.Numerator;
    }

    private static Rational NonZeroConstant(Expr e)
    {
        var p = Read(e);
        if (!p.IsConstant) throw new ExprSyntaxException("division is only by a constant in a polynomial", e.Position);
        if (p.IsZero) throw new ExprSyntaxException("division by zero", e.Position);
        return p.ConstantTerm;
    }

    /// <summary>The value of an exponent expression, which must be a non-negative integer constant.</summary>
    public static int NaturalExponent(Expr e)
    {
        var p = Read(e);
        if (!p.IsConstant || !p.ConstantTerm.IsInteger || p.ConstantTerm.Sign < 0 || p.ConstantTerm.Numerator > 10_000)
            throw new ExprSyntaxException("an exponent must be a non-negative integer constant", e.Position);
        return (int)p.ConstantTerm.Numerator;
    }
}
