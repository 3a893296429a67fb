namespace DeepLinearProofs.Algebra.Words;

/// <summary>
/// A product of letters, compared letter by letter. The empty word is an identity matrix; its size comes from where it is used.
/// Words are immutable; equality and hashing are structural.
/// </summary>
public sealed class Word : IEquatable<Word>, IComparable<Word>
{
    private readonly Letter[] _letters;
    private readonly int _hash;

    public static readonly Word Empty = new([]);

    public Word(IEnumerable<Letter> letters)
    {
        _letters = letters.ToArray();
        var h = new HashCode();
        foreach (var l in _letters) h.Add(l);
        _hash = h.ToHashCode();
    }

    public IReadOnlyList<Letter> Letters => _letters;
    public int Length => _letters.Length;
    public bool IsEmpty => _letters.Length == 0;
    public Letter this[int i] => _letters[i];

    public Word Slice(int from, int to) => new(_letters[from..to]);

    public static Word operator +(Word x, Word y) => new(x._letters.Concat(y._letters));

    /// <summary>(l_1 ... l_n)^T = l_n^T ... l_1^T.</summary>
    public Word Transpose() => new(_letters.Reverse().Select(l => l.Transpose()));

    /// <summary>The rotation starting at letter <paramref name="i"/> (for traces).</summary>
    public Word Rotate(int i) => new(_letters[i..].Concat(_letters[..i]));

    /// <summary>Checks that adjacent letters have matching sizes; the message names the first mismatch.</summary>
    public void CheckShape()
    {
        for (int i = 1; i < _letters.Length; i++)
            if (_letters[i - 1].Cols != _letters[i].Rows)
                throw new WordShapeException($"{_letters[i - 1]} has {_letters[i - 1].Cols} columns but {_letters[i]} has {_letters[i].Rows} rows");
    }

    /// <summary>The first position at which <paramref name="pattern"/> occurs, or -1.</summary>
    public int IndexOf(Word pattern, int from = 0)
    {
        if (pattern.IsEmpty) return -1;
        for (int i = from; i + pattern.Length <= _letters.Length; i++)
        {
            bool match = true;
            for (int k = 0; k < pattern.Length && match; k++) match = _letters[i + k].Equals(pattern._letters[k]);
            if (match) return i;
        }
        return -1;
    }

    public bool Contains(MatrixSymbol s) => _letters.Any(l => l.Symbol == s);

    public int CompareTo(Word? other)
    {
        if (other is null) return 1;
        int c = _letters.Length.CompareTo(other._letters.Length);
        if (c != 0) return c;
        for (int i = 0; i < _letters.Length; i++)
        {
            c = _letters[i].CompareTo(other._letters[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    public bool Equals(Word? other) => other is not null && _hash == other._hash && _letters.AsSpan().SequenceEqual(other._letters);
    public override bool Equals(object? obj) => Equals(obj as Word);
    public override int GetHashCode() => _hash;

    public override string ToString() => _letters.Length == 0 ? "I" : string.Join(" ", _letters.Select(l => l.ToString()));
}
