using System.Globalization;
using System.Text.RegularExpressions;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>
/// A balanced start (docs/theory.md, section 3): W_j = rho w_j w_{j-1}^T, sigma = rho^N, x = w_N, y = w_0. The directions
/// are exact (unnormalised rationals); sigma may be irrational (rho^2 is rational for rational weights), so it is a double.
/// </summary>
public sealed record BalancedStart(double Sigma, Rational[] X, Rational[] Y, IReadOnlyList<Rational[]> Hidden)
{
    public bool IsZero => Sigma == 0;

    /// <summary>
    /// The balanced parameters of exact weights, or null when they are not balanced: C_j = W_{j+1}^T W_{j+1} - W_j W_j^T = 0
    /// for every j, checked exactly. With a one-neuron layer balance forces every layer to rank one, W_j = rho w_j w_{j-1}^T;
    /// y is a non-zero row of W_1 and w_j = W_j w_{j-1} (so the signs chain), x = w_N, all rational.
    /// </summary>
    public static BalancedStart? Detect(IReadOnlyList<Rational> w, WeightLayout layout)
    {
        var arch = layout.Architecture;
        int n = arch.Depth;
        if (arch.OneNeuronLayer is null || n < 2 || w.All(e => e.IsZero)) return null;
        Rational Entry(int j, int r, int c) => w[layout.Index(j, r, c)];
        for (int j = 1; j < n; j++)
        {
            // (W_{j+1}^T W_{j+1})[a, b] = (W_j W_j^T)[a, b] for a, b < d_j.
            int d = layout.Rows(j);
            for (int a = 0; a < d; a++)
                for (int b = a; b < d; b++)
                {
                    Rational upper = Rational.Zero, lower = Rational.Zero;
                    for (int r = 0; r < layout.Rows(j + 1); r++) upper += Entry(j + 1, r, a) * Entry(j + 1, r, b);
                    for (int c = 0; c < layout.Cols(j); c++) lower += Entry(j, a, c) * Entry(j, b, c);
                    if (upper != lower) return null;
                }
        }
        int row = Enumerable.Range(0, layout.Rows(1)).FirstOrDefault(r => Enumerable.Range(0, layout.Cols(1)).Any(c => !Entry(1, r, c).IsZero), -1);
        if (row < 0) return null;
        var y = Enumerable.Range(0, layout.Cols(1)).Select(c => Entry(1, row, c)).ToArray();
        var chain = new List<Rational[]> { y };
        for (int j = 1; j <= n; j++)
        {
            var prev = chain[^1];
            var next = new Rational[layout.Rows(j)];
            for (int r = 0; r < next.Length; r++)
            {
                Rational sum = Rational.Zero;
                for (int c = 0; c < prev.Length; c++) sum += Entry(j, r, c) * prev[c];
                next[r] = sum;
            }
            if (next.All(e => e.IsZero)) return null;
            chain.Add(next);
        }
        // rho^2 = |W_1|_F^2 (equal for every layer when balanced); sigma = rho^N.
        Rational rho2 = Rational.Zero;
        for (int r = 0; r < layout.Rows(1); r++)
            for (int c = 0; c < layout.Cols(1); c++) rho2 += Entry(1, r, c) * Entry(1, r, c);
        double sigma = Math.Pow(rho2.ToDouble(), n / 2.0);
        return new BalancedStart(sigma, chain[^1], y, chain.Skip(1).Take(n - 1).ToList());
    }
}

/// <summary>An initialisation W(0): packed weights in double, plus the exact data it came from when there is any.</summary>
public sealed record Initialisation(string Description, double[] Weights)
{
    /// <summary>Exact weights, when every entry was given as a rational.</summary>
    public Rational[]? Exact { get; init; }

    /// <summary>The balanced parameters, when the start was given that way.</summary>
    public BalancedStart? Balanced { get; init; }

    /// <summary>Largest entry beyond which P = W_N...W_1 is no longer meaningful in double.</summary>
    public const double MaxEntry = 1e6;

    /// <summary>
    /// Parses "balanced:sigma=1/2,x=0;1;0,y=0;1;0[,w1=3/5;4/5]", "random:seed=7,scale=0.3" or
    /// "weights:W1=[[..]],W2=[[..]]" (vectors written 0;1;0).
    /// </summary>
    public static Initialisation Parse(string text, WeightLayout layout)
    {
        var t = text.Trim();
        int colon = t.IndexOf(':');
        var kind = colon < 0 ? t : t[..colon];
        var rest = colon < 0 ? "" : t[(colon + 1)..];
        var init = kind switch
        {
            "balanced" => FromBalanced(Fields(rest, text), layout),
            "random" => Random(Fields(rest, text), layout),
            "weights" => FromWeights(rest, layout),
            "zero" when rest.Trim().Length > 0 => throw new NetworkInputException($"zero takes no parameters, got '{rest}': write zero"),
            "zero" => new Initialisation("zero (W = 0, the equilibrium of E1)", new double[layout.Dimension]) { Exact = Enumerable.Repeat(Rational.Zero, layout.Dimension).ToArray() },
            _ => throw new NetworkInputException($"unknown initialisation '{kind}': use balanced:sigma=..,x=..,y=.., random:seed=..,scale=.., weights:W1=[[..]],... or zero"),
        };
        Validate(init.Weights, layout);
        return init;
    }

    /// <summary>Every entry finite and at most <see cref="MaxEntry"/>; with the layout the entry is named W_j[r,c].</summary>
    public static void Validate(double[] weights, WeightLayout? layout = null)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            if (!double.IsFinite(weights[i]))
                throw new NetworkInputException($"initial weight {EntryName(i, layout)} is {weights[i]}: every entry must be a finite number");
            if (Math.Abs(weights[i]) > MaxEntry)
                throw new NetworkInputException($"initial weight {EntryName(i, layout)} is {weights[i].ToString("g3", CultureInfo.InvariantCulture)}, beyond {MaxEntry:g0}: the product W_N...W_1 would overflow or lose all accuracy; rescale the start");
        }
    }

    private static string EntryName(int i, WeightLayout? layout)
    {
        if (layout is not null && i < layout.Dimension)
            for (int j = layout.Depth; j >= 1; j--)
                if (i >= layout.Offset(j))
                {
                    int k = i - layout.Offset(j);
                    return $"W{j}[{k / layout.Cols(j) + 1},{k % layout.Cols(j) + 1}]";
                }
        return $"entry {i}";
    }

    private static Dictionary<string, string> Fields(string rest, string text)
    {
        var map = new Dictionary<string, string>();
        foreach (var part in rest.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new NetworkInputException($"in '{text}': '{part}' is not key=value");
            map[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }
        return map;
    }

    private static Rational Number(string s, string what) =>
        Rational.TryParse(s, out var r) ? r : throw new NetworkInputException($"{what} = '{s}' is not a number (use 1/2, 0.5 or 3)");

    private static Rational[] Vector(string s, string what, int length)
    {
        var v = s.Split(';', StringSplitOptions.TrimEntries).Select(e => Number(e, what)).ToArray();
        if (v.Length != length) throw new NetworkInputException($"{what} has {v.Length} entries but needs {length} (write vectors as 0;1;0)");
        if (v.All(e => e.IsZero)) throw new NetworkInputException($"{what} is the zero vector; a balanced start needs unit (non-zero) directions");
        return v;
    }

    private static Initialisation FromBalanced(Dictionary<string, string> f, WeightLayout layout)
    {
        var arch = layout.Architecture;
        int n = arch.Depth;
        foreach (var key in f.Keys)
            if (key is not ("sigma" or "x" or "y") && !Regex.IsMatch(key, @"^w\d+$"))
                throw new NetworkInputException($"unknown balanced field '{key}': use sigma, x, y and w1..w{n - 1}");
        if (!f.TryGetValue("sigma", out var sigmaText)) throw new NetworkInputException("a balanced start needs sigma=..., e.g. balanced:sigma=0.5,x=0;1;0,y=0;1;0");
        var sigma = Sigma(sigmaText);
        var x = Vector(f.GetValueOrDefault("x") ?? throw new NetworkInputException("a balanced start needs x=... (the output direction, length d_N)"), "x", arch.Width(n));
        var y = Vector(f.GetValueOrDefault("y") ?? throw new NetworkInputException("a balanced start needs y=... (the input direction, length d_0)"), "y", arch.Width(0));
        var hidden = new List<Rational[]>();
        for (int j = 1; j < n; j++)
            hidden.Add(f.TryGetValue($"w{j}", out var w) ? Vector(w, $"w{j}", arch.Width(j))
                : Enumerable.Range(0, arch.Width(j)).Select(i => i == 0 ? Rational.One : Rational.Zero).ToArray());
        return BalancedStartOf(sigma, x, y, hidden, layout);
    }

    /// <summary>
    /// The balanced start of parsed parameters (sigma >= 0, x, y and w_1..w_{N-1} of the right lengths; a zero vector is
    /// refused as the parser refuses it); not yet validated. A sweep draws its balanced starts through this without text.
    /// </summary>
    internal static Initialisation BalancedStartOf(Rational sigma, Rational[] x, Rational[] y, List<Rational[]> hidden, WeightLayout layout)
    {
        var arch = layout.Architecture;
        int n = arch.Depth;
        if (x.All(e => e.IsZero)) throw new NetworkInputException("x is the zero vector; a balanced start needs unit (non-zero) directions");
        if (y.All(e => e.IsZero)) throw new NetworkInputException("y is the zero vector; a balanced start needs unit (non-zero) directions");
        for (int j = 1; j < n; j++)
            if (hidden[j - 1].All(e => e.IsZero)) throw new NetworkInputException($"w{j} is the zero vector; a balanced start needs unit (non-zero) directions");
        var units = new List<double[]> { UnitDouble(y) };
        units.AddRange(hidden.Select(UnitDouble));
        units.Add(UnitDouble(x));
        double rho = Math.Pow(sigma.ToDouble(), 1.0 / n);
        var weights = new double[layout.Dimension];
        for (int j = 1; j <= n; j++)
            for (int r = 0; r < layout.Rows(j); r++)
                for (int c = 0; c < layout.Cols(j); c++)
                    weights[layout.Index(j, r, c)] = rho * units[j][r] * units[j - 1][c];
        var desc = $"balanced: sigma={sigma}, x=({string.Join(";", x)}), y=({string.Join(";", y)})";
        return new Initialisation(desc, weights) { Balanced = new BalancedStart(sigma.ToDouble(), x, y, hidden) };
    }

    /// <summary>sigma = TEXT of a balanced start, checked as the parser checks it.</summary>
    internal static Rational Sigma(string text)
    {
        var sigma = Number(text, "sigma");
        if (sigma.Sign < 0) throw new NetworkInputException("sigma must be >= 0 (docs/theory.md, section 3 takes sigma = rho^N >= 0; flip x instead)");
        if (sigma.ToDouble() > MaxEntry) throw new NetworkInputException($"sigma = {sigma.ToDouble().ToString("g3", CultureInfo.InvariantCulture)} is beyond {MaxEntry:g0}: rescale the start");
        return sigma;
    }

    private static double[] UnitDouble(Rational[] v)
    {
        var d = v.Select(e => e.ToDouble()).ToArray();
        double norm = Math.Sqrt(d.Sum(e => e * e));
        return d.Select(e => e / norm).ToArray();
    }

    private static Initialisation Random(Dictionary<string, string> f, WeightLayout layout)
    {
        int seed = f.TryGetValue("seed", out var s) ? int.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : throw new NetworkInputException($"seed '{s}' is not an integer") : 0;
        return RandomStart(layout, seed, RandomScale(f.GetValueOrDefault("scale")));
    }

    /// <summary>The scale of "random:...,scale=TEXT" (0.3 when not given), as the parser reads it.</summary>
    internal static double RandomScale(string? text)
    {
        double scale = text is not null ? Number(text, "scale").ToDouble() : 0.3;
        if (!(scale > 0)) throw new NetworkInputException("scale must be positive");
        return scale;
    }

    /// <summary>The start "random:seed=SEED,scale=SCALE" without parsing text (what a sweep draws per start); not yet validated.</summary>
    internal static Initialisation RandomStart(WeightLayout layout, int seed, double scale) =>
        new($"random: seed={seed}, entries N(0, {scale}^2)", Gaussian(layout.Dimension, seed, scale));

    /// <summary>Seeded N(0, scale^2) entries (MathNet's Mersenne twister, so a seed means the same start everywhere).</summary>
    public static double[] Gaussian(int length, int seed, double scale)
    {
        // The generator is local, so its lock (the thread-safe variant) buys nothing; the sequence is the same.
        var rng = new MathNet.Numerics.Random.MersenneTwister(seed, threadSafe: false);
        var w = new double[length];
        MathNet.Numerics.Distributions.Normal.Samples(rng, w, 0, scale);
        return w;
    }

    private static Initialisation FromWeights(string rest, WeightLayout layout)
    {
        var matrices = new Dictionary<string, Rational[,]>();
        const string layer = @"W(\d+)\s*=\s*(\[\[.*?\]\])";
        // Everything must be a layer: an unclosed bracket or a stray word is named here, not reported as a missing layer.
        var leftover = Regex.Replace(rest, layer, "").Trim(',', ' ');
        if (leftover.Length > 0)
            throw new NetworkInputException($"weights: cannot read '{(leftover.Length > 40 ? leftover[..40] + "..." : leftover)}': write weights:W1=[[..],[..]],W2=[[..]] (rows in brackets, layers separated by commas)");
        foreach (Match m in Regex.Matches(rest, layer))
        {
            var name = int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out int j) ? $"W{j}" : $"W{m.Groups[1].Value}";
            if (matrices.ContainsKey(name)) throw new NetworkInputException($"weights: {name} is given twice; give each layer once");
            matrices[name] = MatrixLiteral.Parse(m.Groups[2].Value);
        }
        return FromMatrices(matrices, layout, "exact weights");
    }

    /// <summary>Exact weights from matrices named W1..WN (as in --init weights:... or a lemma's [claim.point]).</summary>
    public static Initialisation FromMatrices(IReadOnlyDictionary<string, Rational[,]> matrices, WeightLayout layout, string description)
    {
        var exact = new Rational[layout.Dimension];
        var seen = new HashSet<int>();
        foreach (var (name, w) in matrices)
        {
            if (!name.StartsWith('W') || !int.TryParse(name[1..], CultureInfo.InvariantCulture, out int j) || j < 1 || j > layout.Depth)
                throw new NetworkInputException($"{name} is not a layer of widths {layout.Architecture} (layers W1..W{layout.Depth})");
            if (w.GetLength(0) != layout.Rows(j) || w.GetLength(1) != layout.Cols(j))
                throw new NetworkInputException($"W{j} is {w.GetLength(0)}x{w.GetLength(1)} but widths {layout.Architecture} need {layout.Rows(j)}x{layout.Cols(j)} (d_{j} x d_{j - 1})");
            for (int r = 0; r < layout.Rows(j); r++)
                for (int c = 0; c < layout.Cols(j); c++) exact[layout.Index(j, r, c)] = w[r, c];
            seen.Add(j);
        }
        var missing = Enumerable.Range(1, layout.Depth).Where(j => !seen.Contains(j)).ToList();
        if (missing.Count > 0) throw new NetworkInputException($"weights: give every layer; missing {string.Join(", ", missing.Select(j => $"W{j}"))}");
        return new Initialisation(description, exact.Select(r => r.ToDouble()).ToArray()) { Exact = exact, Balanced = BalancedStart.Detect(exact, layout) };
    }
}
