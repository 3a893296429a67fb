using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Networks;

/// <summary>
/// The symbolic network of docs/theory.md, section 1: weights W_j with entries W{j}[r,c], end-to-end
/// P = W_{N:1}, residual E = Z - P, loss L, and the gradient flow obtained by differentiating the
/// expanded loss polynomial (T1), with the closed forms of T1, T2, T3, T4 for comparison.
/// </summary>
public sealed class NetworkModel
{
    private readonly PolyMatrix[] _weights;
    private readonly Lazy<PolyMatrix> _product;
    private readonly Lazy<PolyMatrix?> _target;
    private readonly Lazy<Polynomial> _loss;
    private readonly Lazy<Dictionary<Variable, Polynomial>> _flow;
    private readonly HashSet<Variable> _weightVariables = [];

    public Architecture Architecture { get; }
    public Target Target { get; }
    public int Depth => Architecture.Depth;

    public NetworkModel(Architecture architecture, Target target)
    {
        Architecture = architecture;
        Target = target;
        if (target is DataTarget data) data.Validate(architecture);
        _weights = new PolyMatrix[architecture.Depth + 1];
        for (int j = 1; j <= architecture.Depth; j++)
        {
            _weights[j] = PolyMatrix.Variables($"W{j}", architecture.Width(j), architecture.Width(j - 1));
            foreach (var p in _weights[j].Entries()) _weightVariables.UnionWith(p.Variables());
        }
        _product = new(() => Product(Depth, 1));
        _target = new(() => target is DataTarget { SqrtSigma: null } ? null : target.Matrix(architecture));
        if (target is not DataTarget) _ = _target.Value; // shape errors surface at construction
        _loss = new(ComputeLoss);
        _flow = new(() => Loss.Gradient(Rational.MinusOne));
    }

    /// <summary>W_j for j = 1..N.</summary>
    public PolyMatrix Weight(int j)
    {
        if (j < 1 || j > Depth) throw new NetworkInputException($"layer index {j} is out of range 1..{Depth}");
        return _weights[j];
    }

    public bool IsWeightVariable(Variable v) => _weightVariables.Contains(v);
    public IReadOnlyCollection<Variable> WeightVariables => _weightVariables;

    /// <summary>W_{i:j} = W_i ... W_j; the identity of size d_{j-1} when i &lt; j.</summary>
    public PolyMatrix Product(int i, int j)
    {
        if (i < j) return PolyMatrix.Identity(Architecture.Width(j - 1));
        var m = Weight(i);
        for (int l = i - 1; l >= j; l--) m *= Weight(l);
        return m;
    }

    public PolyMatrix EndToEnd => _product.Value;

    /// <summary>Z; for data targets whose Z is irrational this throws with the fix.</summary>
    public PolyMatrix TargetMatrix => _target.Value ?? Target.Matrix(Architecture);

    public PolyMatrix Residual => TargetMatrix - EndToEnd;

    /// <summary>-dL/dP: E = Z - P for a target, (Y - P X) X^T for data.</summary>
    public PolyMatrix DescentDirection =>
        Target is DataTarget data ? (data.YMatrix - EndToEnd * data.XMatrix) * data.XMatrix.Transpose() : Residual;

    /// <summary>L = 1/2||Z - P||^2, or 1/2||Y - P X||^2 for data.</summary>
    public Polynomial Loss => _loss.Value;

    private Polynomial ComputeLoss() => LossOf(Target, Architecture, EndToEnd);

    /// <summary>The loss of an end-to-end matrix under a target (shared with the block abstraction).</summary>
    public static Polynomial LossOf(Target target, Architecture arch, PolyMatrix endToEnd)
    {
        var residual = target is DataTarget data ? data.YMatrix - endToEnd * data.XMatrix : target.Matrix(arch) - endToEnd;
        var b = new PolynomialBuilder();
        var half = Rational.Create(1, 2);
        foreach (var e in residual.Entries()) b.AddProduct(e, e, half);
        return b.ToPolynomial();
    }

    /// <summary>-dL/dv for a weight variable v, by differentiating the expanded loss (all variables in one pass).</summary>
    public Polynomial FlowOf(Variable v) =>
        IsWeightVariable(v) ? _flow.Value.GetValueOrDefault(v, Polynomial.Zero) : throw new ArgumentException($"{v} is not a weight variable");

    /// <summary>dL/dW_j entrywise, by differentiation.</summary>
    public PolyMatrix LossGradient(int j) => Weight(j).Map(p => -FlowOf(SingleVariable(p)));

    /// <summary>dW_j/dt = -dL/dW_j, by differentiation (T1).</summary>
    public PolyMatrix Flow(int j) => Weight(j).Map(p => FlowOf(SingleVariable(p)));

    /// <summary>Closed form of T1: W_{N:j+1}^T E W_{j-1:1}^T (E replaced by -dL/dP for data).</summary>
    public PolyMatrix FlowClosedForm(int j) => Product(Depth, j + 1).Transpose() * DescentDirection * Product(j - 1, 1).Transpose();

    /// <summary>Closed form of T2: sum_j W_{N:j+1} W_{N:j+1}^T E W_{j-1:1}^T W_{j-1:1}.</summary>
    public PolyMatrix EndToEndFlowClosedForm()
    {
        PolyMatrix? sum = null;
        for (int j = 1; j <= Depth; j++)
        {
            var above = Product(Depth, j + 1);
            var below = Product(j - 1, 1);
            var term = above * above.Transpose() * DescentDirection * below.Transpose() * below;
            sum = sum is null ? term : sum + term;
        }
        return sum!;
    }

    /// <summary>C_j = W_{j+1}^T W_{j+1} - W_j W_j^T for j = 1..N-1 (T3).</summary>
    public PolyMatrix Imbalance(int j)
    {
        if (j < 1 || j > Depth - 1) throw new NetworkInputException($"imbalance index {j} is out of range 1..{Depth - 1}");
        return LieDerivative.Imbalance(Weight(j), Weight(j + 1));
    }

    /// <summary>Lie derivative of f along the flow: sum over weight variables v of df/dv * (-dL/dv).</summary>
    public Polynomial Lie(Polynomial f) => LieDerivative.Along(f, v => IsWeightVariable(v) ? FlowOf(v) : null);

    public PolyMatrix Lie(PolyMatrix m) => m.Map(Lie);

    /// <summary>Closed form of T4: -sum_j ||dL/dW_j||^2.</summary>
    public Polynomial LossRateClosedForm()
    {
        var b = new PolynomialBuilder();
        for (int j = 1; j <= Depth; j++) b.Add(LossGradient(j).FrobeniusNormSquared(), Rational.MinusOne);
        return b.ToPolynomial();
    }

    /// <summary>a = W_{N:k+1} (a d_N x 1 column) for the one-neuron layer k.</summary>
    public PolyMatrix OutputFactor => Product(Depth, RequireOneNeuron() + 1);

    /// <summary>b = W_{k:1}^T (a d_0 x 1 column), so P = a b^T.</summary>
    public PolyMatrix InputFactor => Product(RequireOneNeuron(), 1).Transpose();

    public int RequireOneNeuron() =>
        Architecture.OneNeuronLayer ?? throw new NetworkInputException(
            $"widths {Architecture} have no one-neuron layer (no d_k = 1); this needs one, e.g. {string.Join(",", Architecture.Widths.Select((w, i) => i == Architecture.Depth / 2 ? 1 : w))}");

    private static Variable SingleVariable(Polynomial p) => p.Variables().Single();
}
