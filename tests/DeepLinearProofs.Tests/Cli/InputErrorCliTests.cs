using System.Text.Json;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>Bad input found by trying dlp as a new user: each gets one line naming the problem and the fix, exit 2, no stack trace.</summary>
public class InputErrorCliTests
{
    private static string OneErrorLine(int code, string output, string err)
    {
        Assert.Equal(2, code);
        Assert.DoesNotContain("   at ", output + err);
        return Assert.Single(err.Trim().Split('\n'), l => l.StartsWith("dlp: error:"));
    }

    [Fact]
    public void Derive_on_a_mid_size_network_runs_blockwise_and_every_check_holds()
    {
        var (code, output, _) = DlpRunner.Run("derive", "--widths", "4,3,3,1,3,3,4");
        Assert.Equal(0, code);
        Assert.Contains("not expanded", output);
        Assert.Contains("dW1/dt = W_{6:2}^T E", output);
        Assert.Contains("[3x4, 12 entries]", output);
        Assert.Equal(6, output.Split('\n').Count(l => l.Contains("closed form T1: exact: holds")));
        Assert.Equal(5, output.Split('\n').Count(l => l.Contains(") = 0: exact: holds")));
        Assert.Contains("loss rate (T4): dL/dt = -sum_j ||dL/dW_j||^2 [layer by layer", output);
        Assert.Contains("rank (T5): every 2x2 minor of P is zero: exact: holds", output);
        Assert.DoesNotContain("dW1[1,1]/dt", output); // no entries without --entries
    }

    [Fact]
    public void Blockwise_json_gives_entry_counts_and_entries_only_when_asked()
    {
        using var plain = JsonDocument.Parse(DlpRunner.Run("derive", "--widths", "4,4,1,4,4", "--format", "json").Out);
        var flow = plain.RootElement.GetProperty("flows")[0];
        Assert.Equal("blockwise", plain.RootElement.GetProperty("engine").GetString());
        Assert.Equal(16, flow.GetProperty("entry_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, flow.GetProperty("entries").ValueKind);
        Assert.True(flow.GetProperty("equals_closed_form").GetBoolean());
        using var full = JsonDocument.Parse(DlpRunner.Run("derive", "--widths", "4,4,1,4,4", "--format", "json", "--entries").Out);
        Assert.Equal(4, full.RootElement.GetProperty("flows")[0].GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public void Derive_with_entries_over_the_memory_budget_is_refused_at_once_with_an_estimate()
    {
        var (code, output, err) = DlpRunner.Run("derive", "--widths", "4,3,3,1,3,3,4", "--entries", "--memory-budget-mb", "10");
        var line = OneErrorLine(code, output, err);
        Assert.Contains("derive --entries on widths 4,3,3,1,3,3,4 would expand about", line);
        Assert.Contains("drop --entries", line);
        Assert.Equal("", output);
    }

    [Fact]
    public void Derive_on_huge_widths_is_refused_before_building_the_symbols()
    {
        var (code, output, err) = DlpRunner.Run("derive", "--widths", "4096,4096,1,4096,4096");
        Assert.Contains("symbolic entries (weights and Z)", OneErrorLine(code, output, err));
    }

    [Fact]
    public void A_check_too_large_for_the_budget_is_reported_not_checked_and_the_exit_is_2()
    {
        var (code, output, _) = DlpRunner.Run("derive", "--widths", "4,3,3,1,3,3,4", "--memory-budget-mb", "1");
        Assert.Equal(2, code);
        Assert.Contains("not checked at this size (estimate", output);
        Assert.DoesNotContain("exact: FAILS", output);
    }

    [Fact]
    public void Derive_on_a_deep_network_does_not_overflow_the_estimate()
    {
        var (code, output, _) = DlpRunner.Run("derive", "--widths", string.Join(",", Enumerable.Repeat(2, 80)));
        Assert.Equal(0, code);
        Assert.Contains("not expanded (up to", output);
    }

    [Fact]
    public void Check_a_missing_file_or_a_folder_without_all()
    {
        var missing = DlpRunner.Run("check", "missing.toml", "--drop", "gap");
        Assert.Contains("missing.toml: no such lemma file", OneErrorLine(missing.Code, missing.Out, missing.Err));
        var folder = DlpRunner.Run("check", DlpRunner.Library("landscape"), "--drop", "gap");
        Assert.Contains("is a folder: add --all", OneErrorLine(folder.Code, folder.Out, folder.Err));
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("sub/run")]
    [InlineData("..")]
    public void Simulate_refuses_a_name_that_is_not_a_plain_file_name(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"dlp-name-{Guid.NewGuid():N}");
        var (code, output, err) = DlpRunner.Run("simulate", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--init", "random:seed=1,scale=0.1",
            "--name", name, "--out", dir, "--plot", "none");
        Assert.Contains("is not a plain file name", OneErrorLine(code, output, err));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Simulate_on_huge_widths_is_refused_with_an_estimate_before_building_anything()
    {
        var (code, output, err) = DlpRunner.Run("simulate", "--widths", "4096,4096,1,4096,4096", "--target", "diag(3,2,1)",
            "--init", "random:seed=1,scale=0.01", "--out", Path.GetTempPath(), "--plot", "none");
        var line = OneErrorLine(code, output, err);
        Assert.Contains("33,562,624 weights", line);
        Assert.Contains("--allow-large", line);
        Assert.Contains("flops", line);
    }

    [Fact]
    public void The_estimate_also_guards_Simulator_Run_itself()
    {
        var arch = DeepLinearProofs.Networks.Architecture.Parse("2048,2048,1,2048,2048");
        var e = Assert.ThrowsAny<DeepLinearProofs.Networks.NetworkInputException>(() =>
            DeepLinearProofs.Dynamics.Flow.ResourceEstimate.Require(new DeepLinearProofs.Dynamics.Simulation.SimulationRequest(arch, new DeepLinearProofs.Networks.SymbolicTarget(), null!, null!)));
        Assert.Contains("GB (budget 1 GB)", e.Message);
        DeepLinearProofs.Dynamics.Flow.ResourceEstimate.Require(arch, DeepLinearProofs.Dynamics.Simulation.IntegratorChoice.Dop853, DeepLinearProofs.Dynamics.Simulation.Precision.Double, allowLarge: true);
    }

    [Theory]
    [InlineData("derive", "--widths", "3,0,3")]
    [InlineData("derive", "--widths", "3,,3")]
    [InlineData("derive", "--widths", "3")]
    [InlineData("derive", "--widths", "3,1,3", "--target", "[[1,2],[3]]")]
    [InlineData("derive", "--widths", "3,1,3", "--target", "[[a]]")]
    [InlineData("simulate", "--widths", "3,1,3", "--target", "diag(3,2,1,5)", "--init", "random:seed=1")]
    [InlineData("simulate", "--widths", "3,1,3", "--target", "[[1,2],[3,4]]", "--init", "random:seed=1")]
    [InlineData("simulate", "--widths", "3,1,3", "--target", "diag(3,2", "--init", "random:seed=1")]
    public void Malformed_widths_and_targets_give_one_line(params string[] args)
    {
        var (code, output, err) = DlpRunner.Run([.. args, .. args[0] == "simulate" ? new[] { "--out", Path.Combine(Path.GetTempPath(), "dlp-never"), "--plot", "none" } : []]);
        OneErrorLine(code, output, err);
    }
}
