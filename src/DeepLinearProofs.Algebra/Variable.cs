using System.Collections.Concurrent;

namespace DeepLinearProofs.Algebra;

/// <summary>
/// A named indeterminate such as <c>x</c>, <c>W2[1,3]</c> or <c>s[1]</c>. Variables are interned:
/// one name, one id, for the life of the process, so monomials can store small integers.
/// </summary>
public sealed class Variable : IComparable<Variable>
{
    private static readonly ConcurrentDictionary<string, Variable> ByName = new(StringComparer.Ordinal);
    private static volatile Variable[] _byId = [];
    private static readonly Lock Gate = new();

    public int Id { get; }
    public string Name { get; }

    private Variable(int id, string name)
    {
        Id = id;
        Name = name;
    }

    /// <summary>The variable with this name, created on first use.</summary>
    public static Variable Of(string name)
    {
        if (ByName.TryGetValue(name, out var v)) return v;
        lock (Gate)
        {
            if (ByName.TryGetValue(name, out v)) return v;
            var old = _byId;
            v = new Variable(old.Length, name);
            var grown = new Variable[old.Length + 1];
            Array.Copy(old, grown, old.Length);
            grown[old.Length] = v;
            _byId = grown;
            ByName[name] = v;
            return v;
        }
    }

    /// <summary>An indexed variable, e.g. <c>Indexed("W2", 1, 3)</c> is <c>W2[1,3]</c>.</summary>
    public static Variable Indexed(string stem, params int[] indices) =>
        Of(indices.Length == 0 ? stem : $"{stem}[{string.Join(",", indices)}]");

    public static Variable FromId(int id) => _byId[id];

    /// <summary>The stem and integer indices of the name (<c>W2[1,3]</c> gives ("W2", [1,3])).</summary>
    public (string Stem, int[] Indices) Split()
    {
        var open = Name.IndexOf('[');
        if (open < 0 || !Name.EndsWith(']')) return (Name, []);
        var parts = Name[(open + 1)..^1].Split(',');
        var indices = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out indices[i])) return (Name, []);
        return (Name[..open], indices);
    }

    /// <summary>Natural order on names: stem, then indices numerically (W1[2,10] after W1[2,9]).</summary>
    public int CompareTo(Variable? other)
    {
        if (other is null) return 1;
        if (ReferenceEquals(this, other)) return 0;
        var (s1, i1) = Split();
        var (s2, i2) = other.Split();
        int c = NaturalCompare(s1, s2);
        if (c != 0) return c;
        for (int i = 0; i < Math.Min(i1.Length, i2.Length); i++)
            if (i1[i] != i2[i]) return i1[i].CompareTo(i2[i]);
        c = i1.Length.CompareTo(i2.Length);
        return c != 0 ? c : string.CompareOrdinal(Name, other.Name);
    }

    private static int NaturalCompare(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                int si = i, sj = j;
                while (i < a.Length && char.IsAsciiDigit(a[i])) i++;
                while (j < b.Length && char.IsAsciiDigit(b[j])) j++;
                var c = long.Parse(a[si..i]).CompareTo(long.Parse(b[sj..j]));
                if (c != 0) return c;
            }
            else
            {
                if (a[i] != b[j]) return a[i].CompareTo(b[j]);
                i++;
                j++;
            }
        }
        return (a.Length - i).CompareTo(b.Length - j);
    }

    public override string ToString() => Name;
}
