using System.Text.Json;
using DeepLinearProofs.Tests.Cli;
using Xunit;

namespace DeepLinearProofs.Tests.Reporting;

/// <summary>dlp derive with data (X, Y) (T0): the data loss and the data flow are printed, and T1 as stated for a
/// target (E = Z - P) is compared exactly: it holds for whitened data and not otherwise.</summary>
public class DeriveDataTargetTests
{
    private const string Y = "Y=[[1,2,3],[0,-1,1/2]]";

    [Fact]
    public void Data_that_are_not_whitened_get_the_data_loss_and_the_statement_that_T1_as_stated_fails()
    {
        var (code, output, err) = DlpRunner.Run("derive", "--widths", "2,1,2", "--target", $"data(X=[[2,0,0],[0,1,0]], {Y})");
        Assert.True(code == 0, err);
        Assert.Contains("loss: L = 1/2||Y - W2...W1 X||^2", output);
        Assert.DoesNotContain("||Z - W2", output);
        Assert.Contains("dW1/dt = W2^T E_X", output);
        Assert.Equal(2, output.Split('\n').Count(l => l.Contains("closed form T1: exact: holds; with E = Z - P: exact: does not hold")));
        Assert.Contains("T1 as stated for a target, E = Z - P with Z = Y X^T Sigma^{-1/2}: does not hold for layers 1, 2 (exact)", output);
        Assert.Contains("T1 with E replaced by E_X = (Y - P X) X^T: exact: holds; T4", output);
    }

    [Fact]
    public void Whitened_data_have_the_Z_flow()
    {
        var (code, output, err) = DlpRunner.Run("derive", "--widths", "2,1,2", "--target", $"data(X=[[1,0,0],[0,1,0]], {Y})");
        Assert.True(code == 0, err);
        Assert.Equal(2, output.Split('\n').Count(l => l.Contains("with E = Z - P: exact: holds")));
        Assert.Contains("holds (the data are whitened: E_X = Z - P)", output);
    }

    [Fact]
    public void The_json_carries_the_comparison_and_targets_have_none()
    {
        using var data = JsonDocument.Parse(DlpRunner.Run("derive", "--widths", "2,1,2", "--target", $"data(X=[[2,0,0],[0,1,0]], {Y})", "--format", "json").Out);
        Assert.Equal("L = 1/2||Y - W2...W1 X||^2", data.RootElement.GetProperty("loss_formula").GetString());
        Assert.False(data.RootElement.GetProperty("flows")[0].GetProperty("equals_target_form").GetBoolean());
        Assert.True(data.RootElement.GetProperty("flows")[0].GetProperty("equals_closed_form").GetBoolean());
        using var plain = JsonDocument.Parse(DlpRunner.Run("derive", "--widths", "2,1,2", "--target", "diag(3,2)", "--format", "json").Out);
        Assert.Equal(JsonValueKind.Null, plain.RootElement.GetProperty("flows")[0].GetProperty("equals_target_form").ValueKind);
        Assert.Equal("L = 1/2||Z - W2...W1||^2", plain.RootElement.GetProperty("loss_formula").GetString());
    }

    [Fact]
    public void The_latex_states_both_forms_in_one_align_environment()
    {
        var (code, tex, err) = DlpRunner.Run("derive", "--widths", "2,1,2", "--target", $"data(X=[[2,0,0],[0,1,0]], {Y})", "--format", "latex");
        Assert.True(code == 0, err);
        Assert.Equal(2, tex.Split("\\begin{align*}").Length);
        Assert.Contains("\\|Y - P X\\|_F^2", tex);
        Assert.Contains("T1 as stated for a target: exact: does not hold", tex);
    }
}
