using System.Globalization;

namespace DeepLinearProofs.Algebra.Syntax;

/// <summary>
/// Recursive-descent parser for infix expressions: <c>+ - * / ^ ==</c>, parentheses, postfix
/// transpose <c>'</c>, indexed names <c>W2[1,3]</c> and calls <c>lie(C[j])</c>.
/// Long chains of <c>+ -</c>, <c>* /</c>, <c>and</c>, <c>or</c> become balanced trees (see <see cref="ChainTrees"/>)
/// and nesting deeper than <see cref="MaxDepth"/> is refused, so no walk over a parsed tree recurses per term.
/// </summary>
public sealed class ExprParser
{
    /// <summary>Deepest nesting of parentheses, arguments, prefix operators and right-associative operators accepted.</summary>
    public const int MaxDepth = 256;

    private readonly string _text;
    private int _pos;
    private int _depth;

    private ExprParser(string text) => _text = text;

    public static Expr Parse(string text)
    {
        var p = new ExprParser(text);
        var e = p.Implication();
        p.SkipSpace();
        if (p._pos < text.Length) throw new ExprSyntaxException($"unexpected '{text[p._pos]}'", p._pos);
        return e;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private bool Accept(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _pos, token, 0, token.Length) != 0) return false;
        _pos += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
            throw new ExprSyntaxException(_pos < _text.Length ? $"expected '{token}' but found '{_text[_pos]}'" : $"expected '{token}' but the expression ended", _pos);
    }

    private static readonly string[] RelationOperators = ["==", "!=", "<=", ">=", "<", ">"];

    /// <summary>Counts one level of nesting; past <see cref="MaxDepth"/> the expression is refused in one line.</summary>
    private void Enter()
    {
        if (++_depth > MaxDepth)
            throw new ExprSyntaxException($"the expression nests deeper than {MaxDepth} levels (parentheses, arguments, prefix '-'/'not', '^' or '=>'); split it with let-definitions", _pos);
    }

    private Expr Implication()
    {
        Enter();
        var left = Disjunction();
        SkipSpace();
        int at = _pos;
        var result = Accept("=>") ? new BinaryExpr("=>", left, Implication(), at) : left;
        _depth--;
        return result;
    }

    private Expr Disjunction()
    {
        var chain = new ChainTrees.Builder(Conjunction());
        while (true)
        {
            SkipSpace();
            int at = _pos;
            if (!AcceptWord("or")) return chain.Build();
            chain.Add("or", at, Conjunction());
        }
    }

    private Expr Conjunction()
    {
        var chain = new ChainTrees.Builder(Negation());
        while (true)
        {
            SkipSpace();
            int at = _pos;
            if (!AcceptWord("and")) return chain.Build();
            chain.Add("and", at, Negation());
        }
    }

    private Expr Negation()
    {
        SkipSpace();
        int at = _pos;
        if (!AcceptWord("not")) return Relation();
        Enter();
        var result = new NotExpr(Negation(), at);
        _depth--;
        return result;
    }

    private bool AcceptWord(string word)
    {
        SkipSpace();
        int end = _pos + word.Length;
        if (end > _text.Length || string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) return false;
        if (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_' || _text[end] == '(' || _text[end] == '[')) return false;
        _pos = end;
        return true;
    }

    private Expr Relation()
    {
        var left = Sum();
        SkipSpace();
        int at = _pos;
        foreach (var op in RelationOperators)
        {
            if (op is "<" or ">" && _pos + 1 < _text.Length && _text[_pos + 1] == '=') continue;
            if (Accept(op)) return new BinaryExpr(op, left, Sum(), at);
        }
        return left;
    }

    private Expr Sum()
    {
        var chain = new ChainTrees.Builder(Product());
        while (true)
        {
            SkipSpace();
            int at = _pos;
            if (Accept("+")) chain.Add("+", at, Product());
            else if (Peek('-')) { _pos++; chain.Add("-", at, Product()); }
            else return chain.Build();
        }
    }

    private bool Peek(char c)
    {
        SkipSpace();
        return _pos < _text.Length && _text[_pos] == c;
    }

    private Expr Product()
    {
        var chain = new ChainTrees.Builder(Unary());
        while (true)
        {
            SkipSpace();
            int at = _pos;
            if (Accept("*")) chain.Add("*", at, Unary());
            else if (Accept("/")) chain.Add("/", at, Unary());
            else return chain.Build();
        }
    }

    private Expr Unary()
    {
        SkipSpace();
        int at = _pos;
        if (Accept("-")) return Nested(() => new NegateExpr(Unary(), at));
        if (Accept("+")) return Nested(Unary);
        return Power();
    }

    private Expr Power()
    {
        var baseExpr = Postfix();
        SkipSpace();
        int at = _pos;
        if (Accept("^")) return Nested(() => new BinaryExpr("^", baseExpr, Unary(), at));
        return baseExpr;
    }

    private Expr Nested(Func<Expr> parse)
    {
        Enter();
        var e = parse();
        _depth--;
        return e;
    }

    private Expr Postfix()
    {
        var e = Primary();
        while (true)
        {
            SkipSpace();
            int at = _pos;
            if (Accept("'")) e = new TransposeExpr(e, at);
            else return e;
        }
    }

    private Expr Primary()
    {
        SkipSpace();
        int at = _pos;
        if (_pos >= _text.Length) throw new ExprSyntaxException("the expression ended where a value was expected", _pos);
        char c = _text[_pos];
        if (c == '(')
        {
            _pos++;
            var inner = Implication();
            Expect(")");
            return inner;
        }
        if (char.IsAsciiDigit(c) || c == '.') return Number();
        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
            var name = _text[at.._pos];
            if (Accept("(")) return new CallExpr(name, ArgumentsUntil(")"), at);
            if (Accept("[")) return new NameExpr(name, ArgumentsUntil("]"), at);
            return new NameExpr(name, [], at);
        }
        throw new ExprSyntaxException($"unexpected '{c}'", _pos);
    }

    private List<Expr> ArgumentsUntil(string close)
    {
        var args = new List<Expr>();
        if (Accept(close)) return args;
        do args.Add(Implication());
        while (Accept(","));
        Expect(close);
        return args;
    }

    private Expr Number()
    {
        int start = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        if (_pos < _text.Length && _text[_pos] == '.')
        {
            _pos++;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        }
        if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
        {
            int save = _pos++;
            if (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-')) _pos++;
            if (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
                while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
            else _pos = save;
        }
        var literal = _text[start.._pos];
        if (!Rational.TryParse(literal, out var value)) throw new ExprSyntaxException($"malformed number '{literal}'", start);
        return new NumberExpr(value, start);
    }
}

/// <summary>Prints an <see cref="Expr"/> back to text that <see cref="ExprParser"/> reads as the same tree.</summary>
public static class ExprText
{
    public static string Format(Expr e) => Format(e, 0);

    // Precedence: 0 implies, 1 or, 2 and, 3 not, 4 relation, 5 sum, 6 product, 7 unary, 8 power, 9 postfix/primary.
    private static string Format(Expr e, int context)
    {
        (string text, int prec) = e switch
        {
            NumberExpr n => (n.Value.IsInteger ? n.Value.ToString() : $"({n.Value})", n.Value.Sign < 0 ? 7 : 9),
            NameExpr n => (n.Indices.Count == 0 ? n.Name : $"{n.Name}[{string.Join(", ", n.Indices.Select(i => Format(i, 0)))}]", 9),
            CallExpr c => ($"{c.Function}({string.Join(", ", c.Arguments.Select(a => Format(a, 0)))})", 9),
            NegateExpr n => ("-" + Format(n.Operand, 7), 7),
            NotExpr n => ("not " + Format(n.Operand, 3), 3),
            TransposeExpr t => (Format(t.Operand, 9) + "'", 9),
            BinaryExpr { Operator: "=>" } b => ($"{Format(b.Left, 1)} => {Format(b.Right, 0)}", 0),
            BinaryExpr { Operator: "or" } b => ($"{Format(b.Left, 1)} or {Format(b.Right, 2)}", 1),
            BinaryExpr { Operator: "and" } b => ($"{Format(b.Left, 2)} and {Format(b.Right, 3)}", 2),
            BinaryExpr { Operator: "==" or "!=" or "<" or "<=" or ">" or ">=" } b => ($"{Format(b.Left, 5)} {b.Operator} {Format(b.Right, 5)}", 4),
            BinaryExpr { Operator: "+" or "-" } b => ($"{Format(b.Left, 5)} {b.Operator} {Format(b.Right, 6)}", 5),
            BinaryExpr { Operator: "*" or "/" } b => ($"{Format(b.Left, 6)}{b.Operator}{Format(b.Right, 7)}", 6),
            BinaryExpr { Operator: "^" } b => ($"{Format(b.Left, 9)}^{Format(b.Right, 7)}", 8),
            _ => throw new ArgumentException($"unknown expression node {e.GetType().Name}"),
        };
        return prec < context ? $"({text})" : text;
    }
}
