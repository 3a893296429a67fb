namespace DeepLinearProofs.Algebra.Syntax;

/// <summary>Parsed infix expression. <see cref="Position"/> is the 0-based column where it starts.</summary>
public abstract record Expr(int Position);

/// <summary>An exact number literal (decimals are read exactly: 0.1 is 1/10).</summary>
public sealed record NumberExpr(Rational Value, int Position) : Expr(Position);

/// <summary>A name, optionally indexed: <c>x</c>, <c>W2[1,3]</c>, <c>C[j+1]</c>.</summary>
public sealed record NameExpr(string Name, IReadOnlyList<Expr> Indices, int Position) : Expr(Position);

/// <summary>A function application such as <c>lie(C[j])</c> or <c>tr(P)</c>.</summary>
public sealed record CallExpr(string Function, IReadOnlyList<Expr> Arguments, int Position) : Expr(Position);

/// <summary>Unary minus.</summary>
public sealed record NegateExpr(Expr Operand, int Position) : Expr(Position);

/// <summary>Postfix transpose <c>X'</c>.</summary>
public sealed record TransposeExpr(Expr Operand, int Position) : Expr(Position);

/// <summary>Logical negation <c>not f</c>.</summary>
public sealed record NotExpr(Expr Operand, int Position) : Expr(Position);

/// <summary>Binary operator: arithmetic <c>+ - * / ^</c>, relation <c>== != &lt; &lt;= &gt; &gt;=</c>, or logic <c>and or =&gt;</c>.</summary>
public sealed record BinaryExpr(string Operator, Expr Left, Expr Right, int Position) : Expr(Position);

/// <summary>A syntax error at a column of the parsed text.</summary>
public sealed class ExprSyntaxException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}
