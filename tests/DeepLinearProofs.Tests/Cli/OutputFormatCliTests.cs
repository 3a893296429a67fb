using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>What every output shares: snake_case JSON keys, two-digit exponents, lines that fit the terminal.</summary>
public class OutputFormatCliTests
{
    private static readonly Regex SnakeCase = new("^[a-z][a-z0-9_]*$");
    private static readonly Regex ThreeDigitExponent = new(@"e[-+]0\d\d");
    private const string E4Init = "weights:W1=[[-1/2,3/2,2]],W2=[[1],[1],[0]]";

    private static string TempDir() => Directory.CreateTempSubdirectory("dlp-fmt-").FullName;

    private static void AllKeysSnakeCase(JsonElement e, string where, List<string> bad)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (!SnakeCase.IsMatch(p.Name)) bad.Add($"{where}: '{p.Name}'");
                    AllKeysSnakeCase(p.Value, $"{where}.{p.Name}", bad);
                }
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var x in e.EnumerateArray()) AllKeysSnakeCase(x, $"{where}[{i++}]", bad);
                break;
        }
    }

    private static int Keys(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Sum(p => 1 + Keys(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Sum(Keys),
        _ => 0,
    };

    [Fact]
    public void Every_json_the_tool_writes_has_snake_case_keys()
    {
        var dir = TempDir();
        var documents = new Dictionary<string, string>();

        var (c1, o1, e1) = DlpRunner.Run("simulate", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--init", E4Init, "--t-max", "60",
            "--out", dir, "--name", "e4", "--plot", "none", "--json");
        Assert.True(c1 == 0, e1 + o1);
        documents["simulate --json"] = o1;
        documents["e4.json"] = File.ReadAllText(Path.Combine(dir, "e4.json"));

        var (c2, o2, e2) = DlpRunner.Run("sweep", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--count", "6", "--t-max", "20",
            "--candidate", "P[1,1] > 0", "--out", dir);
        Assert.True(c2 is 0 or 1, e2 + o2);
        documents["sweep.json"] = File.ReadAllText(Path.Combine(dir, "sweep.json"));

        var certificates = Path.Combine(dir, "certificates");
        var (c3, o3, e3) = DlpRunner.Run("verify", DlpRunner.Library("landscape", "t5-no-one-neuron.toml"), "--json", "--out", certificates);
        Assert.True(c3 == 0, e3 + o3);
        documents["verify --json"] = o3;
        foreach (var kernel in Directory.GetFiles(certificates, "*.kernel.json", SearchOption.AllDirectories))
            documents[Path.GetFileName(kernel)] = File.ReadAllText(kernel);

        var (c4, o4, e4) = DlpRunner.Run("derive", "--widths", "2,1,2", "--target", "diag(3,2)", "--format", "json");
        Assert.True(c4 == 0, e4);
        documents["derive --format json"] = o4;

        Assert.Contains(documents.Keys, k => k.EndsWith(".kernel.json"));
        var bad = new List<string>();
        foreach (var (name, text) in documents)
        {
            using var doc = JsonDocument.Parse(text);
            Assert.True(Keys(doc.RootElement) > 3, $"{name} has (almost) no keys");
            AllKeysSnakeCase(doc.RootElement, name, bad);
        }
        Assert.True(bad.Count == 0, string.Join("\n", bad));
        // The keys that used to be PascalCase or carry data.
        using var sweep = JsonDocument.Parse(documents["sweep.json"]);
        Assert.True(sweep.RootElement.GetProperty("limits")[0].TryGetProperty("fraction", out _));
        using var verify = JsonDocument.Parse(documents["verify --json"]);
        var witness = verify.RootElement.GetProperty("results")[0].GetProperty("witness");
        Assert.Equal(JsonValueKind.Array, witness.ValueKind);
        Assert.StartsWith("W", witness[0].GetProperty("variable").GetString());
    }

    [Fact]
    public void Simulate_and_verify_print_two_digit_exponents()
    {
        var (c1, o1, e1) = DlpRunner.Run("simulate", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--init", E4Init, "--t-max", "60",
            "--out", TempDir(), "--plot", "none", "--verbose");
        Assert.True(c1 == 0, e1 + o1);
        Assert.Matches(@"max drift of C_j -?\d\.\d\de[-+]\d\d;", o1);   // e.g. 2.19e-12
        var (c2, o2, e2) = DlpRunner.Run("verify", DlpRunner.Library("examples", "e4-simulation.toml"), "--verbose", "--out", TempDir());
        Assert.True(c2 == 0, e2 + o2);
        Assert.Matches(@"C_j drift \d\.\de[-+]\d\d;", o2);
        foreach (var (name, text) in new[] { ("simulate", o1), ("verify", o2) })
            Assert.False(ThreeDigitExponent.IsMatch(text), $"{name}: {ThreeDigitExponent.Match(text).Value} in\n{text}");
    }

    private static (int Code, string Out) RunWithColumns(int columns, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dlp.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["COLUMNS"] = columns.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(err.Result.Length == 0, err.Result);
        return (p.ExitCode, output);
    }

    private static string SmallLibrary()
    {
        var dir = TempDir();
        foreach (var f in new[] { "t5-no-one-neuron.toml", "t5-rank-one.toml" })
            File.Copy(DlpRunner.Library("landscape", f), Path.Combine(dir, f));
        return dir;
    }

    [Fact]
    public void Verify_at_80_columns_fits_and_keeps_every_lemma_id_whole_and_verbose_prints_the_details_in_full()
    {
        var library = SmallLibrary();
        var (jsonCode, json) = RunWithColumns(80, "verify", library, "--json", "--out", TempDir());
        Assert.Equal(0, jsonCode);
        using var doc = JsonDocument.Parse(json);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        var ids = results.Select(r => r.GetProperty("lemma").GetString()!).Distinct().ToList();
        Assert.Contains("landscape.rank-one.without-one-neuron", ids);
        var details = results.Where(r => r.GetProperty("status").GetString() != "proved").Select(r => r.GetProperty("detail").GetString()!).ToList();
        Assert.Contains(details, d => d.Length > 80);

        var (code, output) = RunWithColumns(80, "verify", library, "--out", TempDir());
        Assert.Equal(0, code);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        foreach (var id in ids)
            Assert.Contains(lines, l => Regex.IsMatch(l, $@"(^|[\s│]){Regex.Escape(id)}($|[\s│])"));
        Assert.Contains("0 failed, 0 inconclusive", output);
        Assert.Contains(lines, l => l.EndsWith('…'));
        Assert.All(details.Where(d => d.Length > 80), d => Assert.DoesNotContain(d, output));

        var (verboseCode, verbose) = RunWithColumns(80, "verify", library, "--out", TempDir(), "--verbose");
        Assert.Equal(0, verboseCode);
        Assert.All(details, d => Assert.Contains(d, verbose));
    }
}
