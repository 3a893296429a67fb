namespace DeepLinearProofs.Algebra.Syntax;

/// <summary>
/// Builds the tree of an operator chain <c>t0 op1 t1 op2 t2 ...</c> of one precedence level. Chains up to
/// <see cref="LeftAssociativeLimit"/> operands give the left-associative tree; longer ones a balanced tree
/// of depth about log2(n) with the same value, so that walks over it never recurse once per term.
/// </summary>
public static class ChainTrees
{
    /// <summary>Longest chain kept left-associative (the tree every existing expression had).</summary>
    public const int LeftAssociativeLimit = 64;

    /// <summary>
    /// Collects a chain of one level: <c>+ -</c>, <c>* /</c>, <c>and</c> or <c>or</c>. Balancing keeps the value:
    /// <c>a - b - c</c> groups as <c>a - (b + c)</c>, and <c>x / c</c> becomes <c>x * (1/c)</c> (division is by constants).
    /// For products, scalar (1x1) factors scale and matrices multiply in their order, so a balanced product has the
    /// left-associative value whenever its shapes fit; a long chain like <c>u' * v * W</c> whose shapes fit only
    /// left to right is reported as a shape mismatch, never given another value.
    /// </summary>
    public sealed class Builder(Expr first)
    {
        private readonly List<Expr> _operands = [first];
        private readonly List<(string Operator, int Position)> _operators = [];

        public void Add(string op, int position, Expr operand)
        {
            _operators.Add((op, position));
            _operands.Add(operand);
        }

        public Expr Build()
        {
            if (_operands.Count <= LeftAssociativeLimit)
            {
                var left = _operands[0];
                for (int k = 1; k < _operands.Count; k++) left = new BinaryExpr(_operators[k - 1].Operator, left, _operands[k], _operators[k - 1].Position);
                return left;
            }
            if (_operators.Any(o => o.Operator == "/"))
            {
                // x / c == x * (1/c) for the constant divisors the language allows; then the chain is a pure product.
                for (int k = 1; k < _operands.Count; k++)
                {
                    var (op, at) = _operators[k - 1];
                    if (op != "/") continue;
                    _operands[k] = new BinaryExpr("/", new NumberExpr(Rational.One, at), _operands[k], at);
                    _operators[k - 1] = ("*", at);
                }
            }
            return Balanced(0, _operands.Count - 1, flipped: false);
        }

        /// <summary>
        /// The operands lo..hi with their signs (for + -), flipped when <paramref name="flipped"/>; the sign of
        /// operand lo after flipping is always +, so the subtree needs no leading negation.
        /// </summary>
        private Expr Balanced(int lo, int hi, bool flipped)
        {
            if (lo == hi) return _operands[lo];
            int mid = (lo + hi + 1) / 2;
            var left = Balanced(lo, mid - 1, flipped);
            var (op, at) = _operators[mid - 1];
            if (op is not ("+" or "-")) return new BinaryExpr(op, left, Balanced(mid, hi, flipped), at);
            bool negative = (op == "-") != flipped;
            // left + (t_mid ...) when t_mid's sign is +; left - (t_mid ... with the signs flipped) when it is -.
            return new BinaryExpr(negative ? "-" : "+", left, Balanced(mid, hi, negative ? !flipped : flipped), at);
        }
    }
}
