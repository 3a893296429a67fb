using System.Text.Json;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

public class SimulateCliTests
{
    private static string TempDir() => Directory.CreateTempSubdirectory("dlp-sim-").FullName;

    [Fact]
    public void I_can_simulate_E4_and_get_csv_json_a_plot_and_the_classification()
    {
        var dir = TempDir();
        var (code, output, err) = DlpRunner.Run("simulate", "--widths", "3,1,3", "--target", "diag(3,2,1)",
            "--init", "weights:W1=[[-1/2,3/2,2]],W2=[[1],[1],[0]]", "--t-max", "60", "--out", dir, "--name", "e4", "--plot", "svg", "--verbose");
        Assert.True(code == 0, err + output);
        Assert.Contains("limit: saddle 2", output);
        Assert.Contains("predicted escape t ~", output);   // in the evidence line, which only --verbose prints whole
        Assert.Contains("numerical evidence, not a proof", output);
        Assert.Contains("plateau (saddle 2)", output);
        Assert.True(File.Exists(Path.Combine(dir, "e4.svg")));
        var csv = File.ReadAllLines(Path.Combine(dir, "e4.csv"));
        Assert.Equal("t,loss,gap,norm_P,drift_C,grad_norm", csv[0]);
        Assert.True(csv.Length > 100);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "e4.json")));
        Assert.Equal("Saddle", json.RootElement.GetProperty("classification").GetProperty("class").GetString());
        Assert.Equal("numerical evidence (never 'proved')", json.RootElement.GetProperty("verdict_kind").GetString());
    }

    [Fact]
    public void Without_verbose_evidence_lines_are_cut_to_the_width_and_the_json_keeps_them_whole()
    {
        var dir = TempDir();
        var (code, output, err) = DlpRunner.Run("simulate", "--widths", "3,1,3", "--target", "diag(3,2,1)",
            "--init", "weights:W1=[[-1/2,3/2,2]],W2=[[1],[1],[0]]", "--t-max", "60", "--out", dir, "--name", "e4", "--plot", "none");
        Assert.True(code == 0, err + output);
        var evidence = output.Split('\n').Where(l => l.StartsWith("  - ")).ToList();
        Assert.NotEmpty(evidence);
        Assert.All(evidence, l => Assert.True(l.Length <= DeepLinearProofs.Reporting.Terminal.Detect(false).Width, l));
        Assert.Contains(evidence, l => l.EndsWith('…'));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "e4.json")));
        Assert.Contains(json.RootElement.GetProperty("classification").GetProperty("evidence").EnumerateArray(), e => e.GetString()!.Contains("predicted escape t ~"));
    }

    [Fact]
    public void A_time_limit_too_short_to_classify_says_undetermined_and_exits_2()
    {
        var (code, output, _) = DlpRunner.Run("simulate", "--widths", "3,2,1,2,3", "--target", "diag(3,2,1)", "--init", "random:seed=2,scale=0.3",
            "--t-max", "0.5", "--out", TempDir(), "--plot", "none");
        Assert.Equal(2, code);
        Assert.Contains("limit: undetermined", output);
        Assert.Contains("too short to classify", output);
    }

    [Theory]
    [InlineData("--init", "balanced:sigma=1/2,x=1;0,y=1;0;0", "x has 2 entries but needs 3")]
    [InlineData("--rtol", "1e-18", "--rtol 1e-18 is below what double precision can deliver")]
    [InlineData("--init", "random:seed=x", "seed 'x' is not an integer")]
    [InlineData("--target", "symbolic", "simulation needs a numeric target")]
    public void Bad_simulation_input_is_one_line_with_exit_2(string option, string value, string expected)
    {
        var args = new List<string> { "simulate", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--init", "random:seed=1,scale=0.3", "--out", TempDir(), "--plot", "none" };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else { args.Add(option); args.Add(value); }
        var (code, _, err) = DlpRunner.Run([.. args]);
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", err);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void A_sweep_with_a_bad_final_time_is_one_line_before_any_start_runs(string tMax)
    {
        var (code, _, err) = DlpRunner.Run("sweep", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--count", "8", "--t-max", tMax, "--out", TempDir());
        Assert.Equal(2, code);
        Assert.Equal($"dlp: error: --t-max must be a positive finite time, got {tMax}", err.Trim());
    }

    [Fact]
    public void A_simulation_with_a_bad_final_time_names_the_flag()
    {
        var (code, _, err) = DlpRunner.Run("simulate", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--init", "zero", "--t-max", "NaN", "--out", TempDir(), "--plot", "none");
        Assert.Equal(2, code);
        Assert.Equal("dlp: error: --t-max must be a positive finite time, got NaN", err.Trim());
    }

    [Fact]
    public void The_zero_start_on_widths_without_a_one_neuron_layer_is_the_exact_equilibrium()
    {
        var (code, output, _) = DlpRunner.Run("simulate", "--widths", "3,2,3", "--target", "diag(3,2,1)", "--init", "zero", "--t-max", "5", "--out", TempDir(), "--plot", "none");
        Assert.Equal(0, code);
        Assert.Contains("limit: origin  [E1, exact: W = 0 is an equilibrium", output);
        Assert.Contains("the numeric trajectory agrees", output);
    }

    [Fact]
    public void The_cli_and_lemma_files_accept_the_same_integrator_words()
    {
        foreach (var word in DeepLinearProofs.Dynamics.Simulation.Vocabularies.Integrator.Names)
        {
            var (code, _, err) = DlpRunner.Run("simulate", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--init", "zero", "--t-max", "1", "--method", word, "--out", TempDir(), "--plot", "none");
            Assert.True(code == 0, $"--method {word}: {err}");
            var lemma = "id = \"v\"\n[[network]]\nwidths = [3, 1, 3]\ntarget = \"diag(3,2,1)\"\n[claim]\nmethod = \"converges\"\ninit = \"zero\"\nlimit = \"origin\"\n" +
                $"integrator = \"{word}\"\n";
            Assert.Equal(word, DeepLinearProofs.Dynamics.Simulation.Vocabularies.Integrator.Name(
                ((DeepLinearProofs.Proofs.ConvergesClaim)DeepLinearProofs.Proofs.LemmaLoader.Parse(lemma, "v.toml").Claim).Simulation.Integrator));
        }
    }

    [Fact]
    public void A_problem_file_with_the_wrong_shape_names_the_file_and_the_matrix()
    {
        var path = Path.Combine(TempDir(), "bad.json");
        File.WriteAllText(path, "{\"widths\":[3,1,3],\"target\":[[1,0,0],[0,1,0],[0,0,1]],\"weights\":[[[1,0]],[[1],[0],[0]]]}");
        var (code, _, err) = DlpRunner.Run("simulate", "--problem", path, "--out", TempDir(), "--plot", "none");
        Assert.Equal(2, code);
        Assert.Contains(path, err);
        Assert.Contains("W_1 is 1x2 but needs 1x3", err);
    }

    [Fact]
    public void Bench_simulate_prints_one_line_with_wall_nfev_gap_and_drift()
    {
        var dir = TempDir();
        var problem = Path.Combine(dir, "p.json");
        var (c1, o1, e1) = DlpRunner.Run("bench", "make-problem", "--widths", "8,4,1,4,8", "--seed", "1", "--out", problem);
        Assert.True(c1 == 0, e1);
        var (code, output, err) = DlpRunner.Run("bench", "simulate", "--problem", problem, "--t-max", "50", "--rtol", "1e-8", "--atol", "1e-10");
        Assert.True(code == 0, err);
        var line = output.Trim();
        Assert.Single(line.Split('\n'));
        foreach (var key in new[] { "wall_s=", "nfev=", "gap=", "drift=", "flops_per_eval=", "dense_flops_per_eval=" }) Assert.Contains(key, line);
        double gap = double.Parse(line.Split(' ').Single(p => p.StartsWith("gap="))[4..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(gap) < 1e-9, line);
    }

    [Fact]
    public void A_sweep_reports_fractions_and_the_first_start_that_breaks_a_candidate()
    {
        var dir = TempDir();
        var (code, output, err) = DlpRunner.Run("sweep", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--count", "200", "--t-max", "30",
            "--candidate", "P[1,1] > 0", "--out", dir);
        Assert.True(code == 1, err + output);   // the candidate is wrong: P_11 < 0 starts also reach the minimiser
        Assert.Contains("global minimiser", output);
        Assert.Contains("BROKEN", output);
        Assert.Contains("95% interval", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "sweep.json")));
        Assert.True(json.RootElement.GetProperty("candidate_breaks").GetInt32() > 0);
    }

    [Fact]
    public void A_true_candidate_is_never_broken_on_balanced_starts()
    {
        // T11 for N = 2 balanced: the global minimiser iff p_1(0) = x_1 + y_1 != 0 (for unit x, y); here as a formula on a and b.
        var (code, output, err) = DlpRunner.Run("sweep", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--init", "balanced-random:sigma=1/2", "--count", "100",
            "--t-max", "40", "--candidate", "a[1,1] + b[1,1] != 0", "--out", TempDir());
        Assert.True(code == 0, err + output);
        Assert.Contains("never broken", output);
    }
}
