using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>The sweep's --method, --reduction and --unbatched, bench sweep and bench simulate's rates: bad input is one line, exit 2.</summary>
public class SweepOptionsCliTests
{
    private static string Out() => Path.Combine(Path.GetTempPath(), "dlp-sweepopt-" + Guid.NewGuid().ToString("N")[..8]);

    private static string OneLine(int expectedCode, (int Code, string Out, string Err) r)
    {
        Assert.Equal(expectedCode, r.Code);
        Assert.DoesNotContain("   at ", r.Out + r.Err);
        return Assert.Single(r.Err.Trim().Split('\n'));
    }

    [Fact]
    public void A_bad_method_word_is_one_line_naming_the_flag_and_the_words()
    {
        Assert.Equal("dlp: error: --method must be one of auto, dop853, dp54, stiff; got \"rk4\"",
            OneLine(2, DlpRunner.Run("sweep", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--method", "rk4", "--out", Out())));
        Assert.Equal("dlp: error: --method must be one of auto, dop853, dp54, stiff; got \"DOP853\"",
            OneLine(2, DlpRunner.Run("bench", "sweep", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--method", "DOP853")));
    }

    [Theory]
    [InlineData("cheap", "--reduction must be one of auto, full, balanced, two-layer; got \"cheap\"")]
    [InlineData("balanced", "--reduction balanced needs every start balanced, but 'random:scale=0.3' draws general weights")]
    [InlineData("auto", "--reduction auto is not a sweep reduction")]
    public void A_reduction_the_starts_do_not_qualify_for_is_refused_in_one_line(string word, string expected)
    {
        Assert.StartsWith("dlp: error: " + expected,
            OneLine(2, DlpRunner.Run("sweep", "--widths", "3,2,1,2,3", "--target", "diag(3,2,1)", "--count", "4", "--reduction", word, "--out", Out())));
    }

    [Fact]
    public void Two_layer_on_other_widths_and_stiff_with_a_reduction_are_refused()
    {
        Assert.StartsWith("dlp: error: --reduction two-layer needs widths d_0,1,d_2",
            OneLine(2, DlpRunner.Run("sweep", "--widths", "3,2,1,2,3", "--target", "diag(3,2,1)", "--reduction", "two-layer", "--out", Out())));
        Assert.StartsWith("dlp: error: --method stiff applies to the full-weight integration only",
            OneLine(2, DlpRunner.Run("sweep", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--init", "balanced-random:sigma=1/2",
                "--reduction", "balanced", "--method", "stiff", "--out", Out())));
    }

    [Fact]
    public void Sweep_methods_and_the_balanced_reduction_run_and_agree_on_the_limits()
    {
        var dir = Out();
        var (code, o, _) = DlpRunner.Run("sweep", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--init", "balanced-random:sigma=1/2",
            "--count", "8", "--t-max", "30", "--reduction", "balanced", "--out", dir);
        Assert.Equal(0, code);
        Assert.Contains("8 starts", o);
        var json = File.ReadAllText(Path.Combine(dir, "sweep.json"));
        Assert.Contains("one start at a time (balanced reduction)", json);
        var (c2, o2, _) = DlpRunner.Run("sweep", "--widths", "3,2,1,2,3", "--target", "diag(3,2,1)", "--count", "8", "--t-max", "30", "--method", "dp54", "--out", dir);
        Assert.Equal(0, c2);
        Assert.Contains("global minimiser", o2);
        Assert.Contains("batched: 4 starts per SIMD pass (dp54", File.ReadAllText(Path.Combine(dir, "sweep.json")));
    }

    [Fact]
    public void Bench_sweep_prints_both_rates_and_agreement()
    {
        var (code, o, e) = DlpRunner.Run("bench", "sweep", "--widths", "3,2,1,2,3", "--target", "diag(3,2,1)", "--count", "16", "--t-max", "10", "--repeat", "1");
        Assert.True(code == 0, e);
        Assert.Matches(@"unbatched_starts_per_s=\d+(\.\d+)? batched_starts_per_s=\d+(\.\d+)? speedup=\d+\.\d\d", o);
        Assert.Contains("same_limits=true same_first_break=true", o);
        Assert.Equal("dlp: usage: --repeat takes 1..20 (see 'dlp --help')",
            OneLine(64, DlpRunner.Run("bench", "sweep", "--widths", "3,2,1,2,3", "--target", "diag(3,2,1)", "--repeat", "0")));
    }

    [Fact]
    public void Bench_simulate_prints_the_achieved_rates_beside_the_matvec_calibration()
    {
        var (code, o, e) = DlpRunner.Run("bench", "simulate", "--widths", "8,4,1,4,8", "--target", "diag(3,2,1)", "--init", "random:seed=3,scale=0.3", "--t-max", "5");
        Assert.True(code == 0, e);
        Assert.Matches(@" gflops=\d+\.\d\d rhs_gflops=\d+\.\d\d rhs_us=\d+\.\d\d matvec_gflops=\d+\.\d\d ", o);
    }
}
