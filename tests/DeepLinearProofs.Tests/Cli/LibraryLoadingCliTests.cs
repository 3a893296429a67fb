using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>dlp verify on folders that are empty, loop through links or repeat ids, and output folders that cannot be written.</summary>
public class LibraryLoadingCliTests
{
    private static string TempDir() => Directory.CreateTempSubdirectory("dlp-lib-").FullName;

    private static string Lemma(string id) =>
        $"id = \"{id}\"\ntheory = \"T3\"\n[[network]]\nwidths = [2, 1, 2]\n[claim]\nmethod = \"identity\"\nexpr = \"lie(C[1]) == 0\"\n";

    private static string OnlyError(string output)
    {
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:"));
        Assert.DoesNotContain("   at ", output);
        return line;
    }

    [Fact]
    public void Verify_of_a_folder_without_lemma_files_is_one_error_line_with_exit_2()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not a lemma");
        var (code, output, err) = DlpRunner.Run("verify", dir);
        Assert.Equal(2, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {dir}:0: no lemma files (.toml)", line);
        Assert.Contains("give a folder that contains lemma files", line);
        Assert.DoesNotContain("passed", output);
        Assert.Equal("", err);
    }

    [Fact]
    public async Task A_symlink_loop_is_reported_in_one_line_and_the_real_files_are_checked_once()
    {
        var dir = TempDir();
        var sub = Directory.CreateDirectory(Path.Combine(dir, "sub")).FullName;
        File.WriteAllText(Path.Combine(sub, "one.toml"), Lemma("one"));
        File.WriteAllText(Path.Combine(dir, "two.toml"), Lemma("two"));
        File.CreateSymbolicLink(Path.Combine(sub, "loop"), "..");          // back to the folder searched
        Directory.CreateSymbolicLink(Path.Combine(dir, "again"), sub);     // a second way into sub: no repeat
        File.CreateSymbolicLink(Path.Combine(dir, "self.toml"), "self.toml"); // a link to itself
        var task = Task.Run(() => DlpRunner.Run("verify", dir));
        var (code, output, _) = await task.WaitAsync(TimeSpan.FromSeconds(120)); // throws TimeoutException if verify hangs
        Directory.Delete(dir, recursive: true); // links are removed, not followed
        Assert.Equal(2, code);
        var errors = output.Split('\n').Where(l => l.StartsWith("error:")).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains($"{Path.Combine(sub, "loop")}:0: symbolic link loop") && e.Contains("remove the link"));
        Assert.Contains(errors, e => e.Contains("self.toml:0: symbolic link loop"));
        Assert.Contains("verify: 2 passed", output);
        Assert.Equal(1, output.Split('\n').Count(l => l.Contains(" one ") || l.Contains("│ one ")));
    }

    [Fact]
    public void Two_files_with_one_id_are_one_error_line_and_the_other_lemmas_still_run()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "a.toml"), Lemma("same"));
        File.WriteAllText(Path.Combine(dir, "b.toml"), Lemma("same"));
        File.WriteAllText(Path.Combine(dir, "c.toml"), Lemma("other"));
        var (code, output, _) = DlpRunner.Run("verify", dir);
        Assert.Equal(2, code);
        var line = OnlyError(output);
        Assert.Contains(Path.Combine(dir, "a.toml"), line);
        Assert.Contains(Path.Combine(dir, "b.toml"), line);
        Assert.Contains("lemma id 'same'", line);
        Assert.Contains("give each lemma its own id", line);
        Assert.Contains("verify: 1 passed", output);
        Assert.Contains("other", output);
    }

    /// <summary>An output path under a regular file: no user, root included, can create a folder there.</summary>
    private static string Unwritable()
    {
        var file = Path.Combine(TempDir(), "somefile");
        File.WriteAllText(file, "");
        return Path.Combine(file, "out");
    }

    private static void AssertOutRefused(int code, string output, string err, string folder)
    {
        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"dlp: error: --out {folder}: cannot write output there", line);
        Assert.Contains("is a file, not a folder", line);
        Assert.Contains("give --out", line);
        Assert.Equal("", output);
    }

    [Fact]
    public void An_unwritable_certificate_folder_is_refused_before_any_lemma_is_checked()
    {
        var folder = Unwritable();
        var (code, output, err) = DlpRunner.Run("verify", DlpRunner.Library("landscape"), "--out", folder);
        AssertOutRefused(code, output, err, folder);
        var (procCode, _, procErr) = DlpRunner.Run("verify", DlpRunner.Library("flow"), "--out", "/proc/dlp-out");
        Assert.Equal(2, procCode);
        Assert.Contains("--out /proc/dlp-out: cannot write output there", procErr);
    }

    [Fact]
    public void Simulate_sweep_and_make_problem_refuse_an_unwritable_out_before_working()
    {
        var folder = Unwritable();
        var sim = DlpRunner.Run("simulate", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--t-max", "1000000", "--out", folder);
        AssertOutRefused(sim.Code, sim.Out, sim.Err, folder);
        var sweep = DlpRunner.Run("sweep", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--count", "1000000", "--out", folder);
        AssertOutRefused(sweep.Code, sweep.Out, sweep.Err, folder);
        var file = Path.Combine(folder, "p.json");
        var make = DlpRunner.Run("bench", "make-problem", "--widths", "3,1,3", "--out", file);
        Assert.Equal(2, make.Code);
        Assert.StartsWith($"dlp: error: --out {file}: cannot write output there", make.Err);
        Assert.Contains("give --out a file name in a folder you can write to", make.Err);
    }

    [Fact]
    public void A_lemma_file_with_a_20000_term_expression_verifies()
    {
        var dir = TempDir();
        var sum = string.Join(" + ", Enumerable.Repeat("W1[1,1]", 20_000));
        File.WriteAllText(Path.Combine(dir, "long.toml"),
            $"id = \"long\"\ntheory = \"T3\"\n[[network]]\nwidths = [2, 1, 2]\n[claim]\nmethod = \"identity\"\nexpr = \"{sum} == 20000*W1[1,1]\"\n");
        var (code, output, err) = DlpRunner.Run("verify", dir);
        Assert.True(code == 0, output + err);
        Assert.Contains("verify: 1 passed", output);
    }
}
