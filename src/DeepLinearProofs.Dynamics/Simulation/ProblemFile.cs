using System.Text.Json;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>
/// A problem file shared with the SciPy anchor: <c>{"widths": [...], "target": [[row], ...], "weights": [W_1, ..., W_N]}</c>,
/// every matrix a list of rows. Numbers are read as exact doubles.
/// </summary>
public sealed record Problem(Architecture Architecture, NumericTarget Target, Initialisation Start)
{
    public static Problem Load(string path)
    {
        if (!File.Exists(path)) throw new NetworkInputException($"{path}: no such problem file");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var widths = Get(root, "widths", path).EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var arch = new Architecture(widths);
            var layout = new WeightLayout(arch);
            var z = Matrix(Get(root, "target", path), path, "target");
            if (z.GetLength(0) != arch.Width(arch.Depth) || z.GetLength(1) != arch.Width(0))
                throw new NetworkInputException($"{path}: target is {z.GetLength(0)}x{z.GetLength(1)} but widths need d_N x d_0 = {arch.Width(arch.Depth)}x{arch.Width(0)}");
            var layers = Get(root, "weights", path).EnumerateArray().ToArray();
            if (layers.Length != arch.Depth) throw new NetworkInputException($"{path}: weights has {layers.Length} matrices but the widths have depth {arch.Depth}");
            var w = new double[layout.Dimension];
            for (int j = 1; j <= arch.Depth; j++)
            {
                var m = Matrix(layers[j - 1], path, $"weights[{j - 1}] (W_{j})");
                if (m.GetLength(0) != layout.Rows(j) || m.GetLength(1) != layout.Cols(j))
                    throw new NetworkInputException($"{path}: W_{j} is {m.GetLength(0)}x{m.GetLength(1)} but needs {layout.Rows(j)}x{layout.Cols(j)} (d_{j} x d_{j - 1})");
                for (int r = 0; r < layout.Rows(j); r++)
                    for (int c = 0; c < layout.Cols(j); c++) w[layout.Index(j, r, c)] = m[r, c].ToDouble();
            }
            try { Initialisation.Validate(w, layout); }
            catch (NetworkInputException e) { throw new NetworkInputException($"{path}: {e.Message}"); }
            var exact = w.Select(Rational.FromDouble).ToArray();
            return new Problem(arch, new NumericTarget(z), new Initialisation($"problem file {Path.GetFileName(path)}", w) { Balanced = BalancedStart.Detect(exact, new WeightLayout(arch)) });
        }
        catch (JsonException e)
        {
            throw new NetworkInputException($"{path}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split('.')[0]}); expected {{\"widths\": [...], \"target\": [[...]], \"weights\": [[[...]], ...]}}");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new NetworkInputException($"{path}: {e.Message}; widths are integers and matrices are lists of rows of numbers");
        }
    }

    private static JsonElement Get(JsonElement root, string name, string path) =>
        root.TryGetProperty(name, out var v) ? v : throw new NetworkInputException($"{path}: missing \"{name}\"");

    private static Rational[,] Matrix(JsonElement e, string path, string what)
    {
        var rows = e.EnumerateArray().Select(r => (IReadOnlyList<Rational>)r.EnumerateArray().Select(v =>
        {
            double d = v.GetDouble();
            if (!double.IsFinite(d)) throw new NetworkInputException($"{path}: {what} has a non-finite entry");
            return Rational.FromDouble(d);
        }).ToArray()).ToArray();
        try { return MatrixLiteral.FromRows(rows); }
        catch (NetworkInputException x) { throw new NetworkInputException($"{path}: {what}: {x.Message}"); }
    }

    /// <summary>Writes a problem file (used by the benchmark generator).</summary>
    public static void Write(string path, Architecture arch, double[,] target, double[] weights)
    {
        var layout = new WeightLayout(arch);
        static double[][] Rows(double[,] m) => Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray()).ToArray();
        var obj = new
        {
            widths = arch.Widths,
            target = Rows(target),
            weights = Enumerable.Range(1, arch.Depth).Select(j => Rows(layout.Weight(weights, j))).ToArray(),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(obj));
    }
}
