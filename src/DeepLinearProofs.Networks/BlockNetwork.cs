using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Networks;

/// <summary>
/// The network with layers <see cref="Lowest"/>..<see cref="Highest"/> kept symbolic and the rest
/// replaced by generic blocks: A (d_N x d_Highest, entries A[i,r]) for W_{N:Highest+1} and
/// B (d_{Lowest-1} x d_0, entries B[s,q]) for W_{Lowest-1:1}, or identities at the ends.
/// Sound for identities about the kept layers: the map A -> W_{N:Highest+1}, B -> W_{Lowest-1:1}
/// is a ring homomorphism fixing the kept variables, so it commutes with d/dv for kept v, and an
/// identity that holds for generic A, B holds for the products (T1, T3 at any depth and width).
/// </summary>
public sealed class BlockNetwork
{
    private readonly PolyMatrix[] _kept;
    private readonly HashSet<Variable> _keptVariables = [];
    private readonly Dictionary<Variable, Polynomial> _flow = [];

    public Architecture Architecture { get; }
    public Target Target { get; }
    public int Lowest { get; }
    public int Highest { get; }
    public PolyMatrix Above { get; }
    public PolyMatrix Below { get; }
    public PolyMatrix EndToEnd { get; }
    public Polynomial Loss { get; }

    public BlockNetwork(Architecture arch, Target target, int lowest, int highest)
    {
        if (lowest < 1 || highest > arch.Depth || lowest > highest)
            throw new NetworkInputException($"kept layers {lowest}..{highest} must lie within 1..{arch.Depth}");
        Architecture = arch;
        Target = target;
        Lowest = lowest;
        Highest = highest;
        _kept = new PolyMatrix[highest - lowest + 1];
        for (int j = lowest; j <= highest; j++)
        {
            _kept[j - lowest] = PolyMatrix.Variables($"W{j}", arch.Width(j), arch.Width(j - 1));
            foreach (var p in _kept[j - lowest].Entries()) _keptVariables.UnionWith(p.Variables());
        }
        Above = highest == arch.Depth ? PolyMatrix.Identity(arch.Width(arch.Depth)) : PolyMatrix.Variables("A", arch.Width(arch.Depth), arch.Width(highest));
        Below = lowest == 1 ? PolyMatrix.Identity(arch.Width(0)) : PolyMatrix.Variables("B", arch.Width(lowest - 1), arch.Width(0));
        EndToEnd = Above * KeptProduct(highest, lowest) * Below;
        Loss = NetworkModel.LossOf(target, arch, EndToEnd);
    }

    public PolyMatrix Weight(int j) =>
        j >= Lowest && j <= Highest ? _kept[j - Lowest] : throw new NetworkInputException($"layer {j} is abstracted in this block network");

    /// <summary>W_i ... W_j over kept layers; identity of size d_{j-1} when i &lt; j.</summary>
    public PolyMatrix KeptProduct(int i, int j)
    {
        if (i < j) return PolyMatrix.Identity(Architecture.Width(j - 1));
        var m = Weight(i);
        for (int l = i - 1; l >= j; l--) m *= Weight(l);
        return m;
    }

    /// <summary>-dL/dv by differentiation, for a kept weight variable v.</summary>
    public Polynomial FlowOf(Variable v)
    {
        if (!_keptVariables.Contains(v)) throw new ArgumentException($"{v} is not a kept weight variable");
        if (!_flow.TryGetValue(v, out var f)) _flow[v] = f = -Loss.Derivative(v);
        return f;
    }

    public PolyMatrix Flow(int j) => Weight(j).Map(p => FlowOf(p.Variables().Single()));

    /// <summary>T1 in block form: (A W_{Highest:j+1})^T E (W_{j-1:Lowest} B)^T.</summary>
    public PolyMatrix FlowClosedForm(int j)
    {
        var residual = Target is DataTarget data
            ? (data.YMatrix - EndToEnd * data.XMatrix) * data.XMatrix.Transpose()
            : Target.Matrix(Architecture) - EndToEnd;
        return (Above * KeptProduct(Highest, j + 1)).Transpose() * residual * (KeptProduct(j - 1, Lowest) * Below).Transpose();
    }

    /// <summary>Lie derivative of a polynomial in the kept variables along the flow.</summary>
    public Polynomial Lie(Polynomial f) => LieDerivative.Along(f, v => _keptVariables.Contains(v)
        ? FlowOf(v)
        : throw new ArgumentException($"{v} is not a kept weight variable; the Lie derivative of abstracted blocks is not available"));

    /// <summary>C_j for kept layers j and j+1.</summary>
    public PolyMatrix Imbalance(int j) => LieDerivative.Imbalance(Weight(j), Weight(j + 1));
}
