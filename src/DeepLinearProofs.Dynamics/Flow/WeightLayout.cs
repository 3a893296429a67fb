using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Flow;

/// <summary>Where W_1..W_N (each d_j x d_{j-1}, row-major) sit in one state vector.</summary>
public sealed class WeightLayout
{
    public Architecture Architecture { get; }
    public int Depth => Architecture.Depth;
    public int Dimension { get; }
    private readonly int[] _offsets;

    public WeightLayout(Architecture architecture)
    {
        Architecture = architecture;
        _offsets = new int[architecture.Depth + 2];
        for (int j = 1; j <= architecture.Depth; j++)
            _offsets[j + 1] = _offsets[j] + architecture.Width(j) * architecture.Width(j - 1);
        Dimension = _offsets[architecture.Depth + 1];
    }

    public int Rows(int j) => Architecture.Width(j);
    public int Cols(int j) => Architecture.Width(j - 1);

    /// <summary>Start of W_j (1-based layer index).</summary>
    public int Offset(int j) => _offsets[j];

    public int Size(int j) => Rows(j) * Cols(j);

    /// <summary>Entry (r, c) of W_j in the state vector.</summary>
    public int Index(int j, int r, int c) => _offsets[j] + r * Cols(j) + c;

    /// <summary>The symbolic weight variable of every state index, from the network model's W_j (same layout).</summary>
    public Algebra.Variable[] Variables(NetworkModel model)
    {
        var variables = new Algebra.Variable[Dimension];
        for (int j = 1; j <= Depth; j++)
            for (int r = 0; r < Rows(j); r++)
                for (int c = 0; c < Cols(j); c++) variables[Index(j, r, c)] = model.Weight(j)[r, c].Variables().Single();
        return variables;
    }

    /// <summary>W_j as a dense double matrix.</summary>
    public double[,] Weight(ReadOnlySpan<double> y, int j)
    {
        var m = new double[Rows(j), Cols(j)];
        for (int r = 0; r < Rows(j); r++)
            for (int c = 0; c < Cols(j); c++) m[r, c] = y[Index(j, r, c)];
        return m;
    }
}
