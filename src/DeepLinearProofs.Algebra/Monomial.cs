namespace DeepLinearProofs.Algebra;

/// <summary>
/// A power product of variables, stored as (variable id, exponent) pairs sorted by id with
/// positive exponents, so two equal monomials have equal arrays.
/// </summary>
public sealed class Monomial : IEquatable<Monomial>
{
    // Alternating [id0, exp0, id1, exp1, ...], ids strictly increasing, exps > 0.
    private readonly int[] _data;
    private readonly int _hash;

    public static readonly Monomial One = new([]);

    private Monomial(int[] data)
    {
        _data = data;
        uint h = 2166136261;
        foreach (var x in data) h = (h ^ (uint)x) * 16777619;
        _hash = (int)h;
    }

    public static Monomial Of(Variable v, int exponent = 1)
    {
        if (exponent < 0) throw new ArgumentOutOfRangeException(nameof(exponent), "monomials have non-negative exponents");
        return exponent == 0 ? One : new Monomial([v.Id, exponent]);
    }

    /// <summary>Builds a monomial from (variable, exponent) factors in any order; repeated variables add up.</summary>
    public static Monomial Of(IEnumerable<(Variable Var, int Exponent)> factors)
    {
        var acc = new SortedDictionary<int, int>();
        foreach (var (v, e) in factors)
        {
            if (e < 0) throw new ArgumentOutOfRangeException(nameof(factors), "monomials have non-negative exponents");
            if (e == 0) continue;
            acc[v.Id] = acc.GetValueOrDefault(v.Id) + e;
        }
        var data = new int[acc.Count * 2];
        int i = 0;
        foreach (var (id, e) in acc) { data[i++] = id; data[i++] = e; }
        return data.Length == 0 ? One : new Monomial(data);
    }

    public int VariableCount => _data.Length / 2;
    public bool IsOne => _data.Length == 0;

    public int TotalDegree
    {
        get
        {
            int d = 0;
            for (int i = 1; i < _data.Length; i += 2) d += _data[i];
            return d;
        }
    }

    /// <summary>The factors as (variable, exponent), in id order.</summary>
    public IEnumerable<(Variable Var, int Exponent)> Factors
    {
        get
        {
            for (int i = 0; i < _data.Length; i += 2) yield return (Variable.FromId(_data[i]), _data[i + 1]);
        }
    }

    public int ExponentOf(Variable v)
    {
        for (int i = 0; i < _data.Length; i += 2)
        {
            if (_data[i] == v.Id) return _data[i + 1];
            if (_data[i] > v.Id) return 0;
        }
        return 0;
    }

    public static Monomial operator *(Monomial x, Monomial y)
    {
        if (x.IsOne) return y;
        if (y.IsOne) return x;
        var a = x._data;
        var b = y._data;
        var buffer = new int[a.Length + b.Length];
        int i = 0, j = 0, k = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { buffer[k++] = a[i]; buffer[k++] = a[i + 1] + b[j + 1]; i += 2; j += 2; }
            else if (a[i] < b[j]) { buffer[k++] = a[i]; buffer[k++] = a[i + 1]; i += 2; }
            else { buffer[k++] = b[j]; buffer[k++] = b[j + 1]; j += 2; }
        }
        while (i < a.Length) buffer[k++] = a[i++];
        while (j < b.Length) buffer[k++] = b[j++];
        if (k != buffer.Length) Array.Resize(ref buffer, k);
        return new Monomial(buffer);
    }

    /// <summary>The monomial with the exponent of <paramref name="v"/> lowered by one, and that exponent; (null, 0) when v does not occur.</summary>
    public (Monomial? Lowered, int Exponent) Differentiate(Variable v)
    {
        for (int i = 0; i < _data.Length; i += 2)
        {
            if (_data[i] != v.Id) continue;
            int e = _data[i + 1];
            int[] data;
            if (e == 1)
            {
                data = new int[_data.Length - 2];
                Array.Copy(_data, 0, data, 0, i);
                Array.Copy(_data, i + 2, data, i, _data.Length - i - 2);
            }
            else
            {
                data = (int[])_data.Clone();
                data[i + 1] = e - 1;
            }
            return (data.Length == 0 ? One : new Monomial(data), e);
        }
        return (null, 0);
    }

    public bool Equals(Monomial? other) =>
        other is not null && (ReferenceEquals(this, other) || (_hash == other._hash && _data.AsSpan().SequenceEqual(other._data)));

    public override bool Equals(object? obj) => Equals(obj as Monomial);
    public override int GetHashCode() => _hash;

    /// <summary>Factors in natural variable-name order, for printing.</summary>
    public IReadOnlyList<(Variable Var, int Exponent)> SortedFactors() => Factors.OrderBy(f => f.Var).ToList();

    public override string ToString() =>
        IsOne ? "1" : string.Join("*", SortedFactors().Select(f => f.Exponent == 1 ? f.Var.Name : $"{f.Var.Name}^{f.Exponent}"));
}
