namespace DeepLinearProofs.Networks;

/// <summary>
/// Widths d_0 (input) .. d_N (output) of a deep linear network of depth N >= 2 (docs/theory.md, section 1).
/// <see cref="OneNeuronLayer"/> is the index k of a layer with d_k = 1, preferring a hidden one.
/// </summary>
public sealed class Architecture
{
    public const int MaxWidth = 4096;

    public IReadOnlyList<int> Widths { get; }
    public int Depth => Widths.Count - 1;

    public Architecture(IReadOnlyList<int> widths)
    {
        if (widths.Count < 3)
            throw new NetworkInputException($"depth must be at least 2: give at least three widths (d_0,...,d_N), got {widths.Count}");
        for (int i = 0; i < widths.Count; i++)
            if (widths[i] < 1 || widths[i] > MaxWidth)
                throw new NetworkInputException($"width d_{i} = {widths[i]} is out of range 1..{MaxWidth}");
        Widths = widths.ToArray();
    }

    /// <summary>Parses "3,2,1,2,3".</summary>
    public static Architecture Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out widths[i]))
                throw new NetworkInputException($"widths must be comma-separated integers such as 3,2,1,2,3; '{parts[i]}' is not an integer");
        return new Architecture(widths);
    }

    /// <summary>d_j.</summary>
    public int Width(int j) => Widths[j];

    /// <summary>Index k with d_k = 1: the first hidden one (1..N-1) if any, else 0 or N; null without one.</summary>
    public int? OneNeuronLayer
    {
        get
        {
            for (int j = 1; j < Depth; j++) if (Widths[j] == 1) return j;
            if (Widths[0] == 1) return 0;
            if (Widths[Depth] == 1) return Depth;
            return null;
        }
    }

    public bool HasHiddenOneNeuronLayer => OneNeuronLayer is int k && k >= 1 && k <= Depth - 1;

    public override string ToString() => string.Join(",", Widths);
}

/// <summary>User input that does not describe a valid network or target; the message says what to fix.</summary>
public class NetworkInputException(string message) : Exception(message);
