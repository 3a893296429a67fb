namespace DeepLinearProofs.Smt;

/// <summary>S-expression: an atom (symbol, number, string) or a list.</summary>
public abstract record SExpr
{
    public sealed record Atom(string Text) : SExpr
    {
        public override string ToString() => Text;
    }

    public sealed record List(IReadOnlyList<SExpr> Items) : SExpr
    {
        public override string ToString() => "(" + string.Join(" ", Items) + ")";
    }

    /// <summary>Parses every top-level s-expression in the text; throws FormatException when unbalanced.</summary>
    public static IReadOnlyList<SExpr> ParseAll(string text)
    {
        int pos = 0;
        var result = new List<SExpr>();
        while (true)
        {
            SkipSpace(text, ref pos);
            if (pos >= text.Length) return result;
            result.Add(Parse(text, ref pos));
        }
    }

    private static void SkipSpace(string text, ref int pos)
    {
        while (pos < text.Length)
        {
            if (char.IsWhiteSpace(text[pos])) pos++;
            else if (text[pos] == ';') { while (pos < text.Length && text[pos] != '\n') pos++; }
            else break;
        }
    }

    private static SExpr Parse(string text, ref int pos)
    {
        SkipSpace(text, ref pos);
        if (pos >= text.Length) throw new FormatException("unexpected end of solver output");
        char c = text[pos];
        if (c == '(')
        {
            pos++;
            var items = new List<SExpr>();
            while (true)
            {
                SkipSpace(text, ref pos);
                if (pos >= text.Length) throw new FormatException("unbalanced parentheses in solver output");
                if (text[pos] == ')') { pos++; return new List(items); }
                items.Add(Parse(text, ref pos));
            }
        }
        if (c == ')') throw new FormatException("unexpected ')' in solver output");
        int start = pos;
        if (c == '|')
        {
            pos = text.IndexOf('|', pos + 1);
            if (pos < 0) throw new FormatException("unterminated |symbol| in solver output");
            pos++;
            return new Atom(text[(start + 1)..(pos - 1)]);
        }
        if (c == '"')
        {
            pos++;
            while (pos < text.Length && !(text[pos] == '"' && (pos + 1 >= text.Length || text[pos + 1] != '"'))) pos += text[pos] == '"' ? 2 : 1;
            pos++;
            return new Atom(text[start..Math.Min(pos, text.Length)]);
        }
        while (pos < text.Length && !char.IsWhiteSpace(text[pos]) && text[pos] != '(' && text[pos] != ')') pos++;
        return new Atom(text[start..pos]);
    }
}
