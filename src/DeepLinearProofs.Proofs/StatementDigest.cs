using System.Security.Cryptography;
using System.Text;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// A SHA-256 of what a kernel statement claims, leaving out its certificate data (cofactors, witnesses) and labels: two
/// statements with the same digest say the same thing. Polynomials are hashed term by term and the term hashes summed
/// (four 64-bit lanes), so 10^6-term identities need no sorting.
/// </summary>
public static class StatementDigest
{
    public static string Of(object statement)
    {
        if (statement is CertificateFile.IdentityDigest recorded) return recorded.Digest;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Write(hash, statement);
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static void Write(IncrementalHash h, object statement)
    {
        void Text(string t) => h.AppendData(Encoding.UTF8.GetBytes(t));
        void P(Polynomial p) => Text(PolynomialHash(p));
        void F(Formula f)
        {
            switch (f)
            {
                case AtomFormula a: Text($"({a.Relation} "); P(a.Polynomial); Text(")"); break;
                case AndFormula a: Text("(and"); foreach (var x in a.Parts) F(x); Text(")"); break;
                case OrFormula o: Text("(or"); foreach (var x in o.Parts) F(x); Text(")"); break;
                case NotFormula n: Text("(not"); F(n.Operand); Text(")"); break;
                case ImpliesFormula i: Text("(=>"); F(i.Premise); F(i.Conclusion); Text(")"); break;
            }
        }
        void Roots(IEnumerable<SquareRoot> roots) { foreach (var r in roots) { Text($"[root {r.Root.Name}"); P(r.Radicand); F(r.Guard); Text("]"); } }
        void Points(IEnumerable<Assignment> point) { foreach (var a in point.OrderBy(a => a.Variable)) Text($"{a.Variable.Name}={a.Value};"); }
        switch (statement)
        {
            case IdentityStatement s:
                Text("identity");
                foreach (var e in s.Equations) { Text("[eq"); P(e.Lhs); P(e.Rhs); Text("]"); }
                Roots(s.Roots);
                break;
            case ForallStatement s:
                Text("forall");
                foreach (var x in s.Hypotheses) F(x.Formula);
                Text("|claim");
                F(s.Claim.Formula);
                Roots(s.Roots);
                if (s.Reduction is { } r) { Text($"|rank-one {string.Join(",", r.Widths)} {r.Normalize}"); Write(h, r.Reduced); }
                break;
            case WordStatement s:
                // What the claim says (the multiples are certificate data: the replay re-finds and re-checks them).
                Text($"words|{s.Scope}|{s.Loss}");
                foreach (var f in s.Field) Text($"[rate {f.Symbol.Name} {f.Symbol.Rows}x{f.Symbol.Cols} = {f.Rate}]");
                foreach (var c in s.Constants) Text($"[const {c.Name} {c.Rows}x{c.Cols}]");
                foreach (var f in s.Facts) Text($"[fact {f.Lhs} = {f.Rhs}]");
                foreach (var e in s.Equations) Text($"[eq {e.Side} {e.Letter?.Name} {e.Of} = {e.Rhs}]");
                foreach (var g in s.Generators) Text($"[gen {g.G}]");
                foreach (var root in s.Roots) { Text($"[root {root.Root.Name}"); P(root.Radicand); Text("]"); }
                break;
            case MembershipStatement s:
                Text("membership");
                F(s.Set.Formula);
                Roots(s.Roots);
                Points(s.Point);
                break;
            case InvariantStatement s:
                Text($"invariant {s.Invariance}");
                foreach (var c in s.Field.OrderBy(c => c.Variable)) { Text(c.Variable.Name); P(c.Rate); }
                foreach (var g in s.Equations) { Text("[g"); P(g.G); Text("]"); }
                foreach (var q in s.Inequalities)
                {
                    Text("[h"); P(q.H);
                    if (q.Lambda is { } l) { Text("lambda"); P(l); }
                    foreach (var b in q.Boundary) { Text("k"); P(b.G); }
                    Text("]");
                }
                if (s.Excludes is { } excluded) { Text("excludes"); F(excluded.Formula); }
                Points(s.Start);
                break;
            default:
                throw new ArgumentException($"no digest for {statement.GetType().Name}");
        }
    }

    /// <summary>The term count and the lane sums of the terms' SHA-256.</summary>
    public static string PolynomialHash(Polynomial p)
    {
        var lanes = new ulong[4];
        Span<byte> digest = stackalloc byte[32];
        var text = new StringBuilder();
        foreach (var (m, c) in p.Terms)
        {
            text.Clear().Append(c.ToString());
            foreach (var (v, e) in m.SortedFactors()) text.Append('*').Append(v.Name).Append('^').Append(e);
            SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), digest);
            for (int i = 0; i < 4; i++) lanes[i] += BitConverter.ToUInt64(digest[(8 * i)..]);
        }
        return $"{p.TermCount}:{string.Join(",", lanes)};";
    }
}
