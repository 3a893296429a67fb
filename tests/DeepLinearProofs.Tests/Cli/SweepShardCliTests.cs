using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary><c>dlp sweep --shard i/n</c>, <c>dlp sweep merge DIR</c> and the scripts of <c>--slurm</c>.</summary>
public class SweepShardCliTests
{
    // 2,1,2 | diag(1,1): the candidate breaks 14 times in 60 starts, first at start 4 (so the merged first break is a real choice).
    internal static readonly string[] Small = ["--widths", "2,1,2", "--target", "diag(1,1)", "--count", "60", "--t-max", "10", "--candidate", "P[1,1] > -0.05"];

    private static string TempDir() => Directory.CreateTempSubdirectory("dlp-shard-").FullName;

    private static (int Code, string Out, string Err) Sweep(string dir, params string[] extra) => DlpRunner.Run(["sweep", .. Small, "--out", dir, .. extra]);

    private static string OneLine(int expectedCode, (int Code, string Out, string Err) r)
    {
        Assert.Equal(expectedCode, r.Code);
        Assert.DoesNotContain("   at ", r.Out + r.Err);
        return Assert.Single(r.Err.Trim().Split('\n'));
    }

    /// <summary>The printout without its one wall-clock part and without the "wrote PATH" line (the folders differ).</summary>
    internal static string Comparable(string printout) =>
        string.Join("\n", Regex.Replace(printout, @"; \d+\.\d\d s (on \d+ cores|summed over \d+ shards);", "; <wall clock>;")
            .Split('\n').Where(l => !l.StartsWith("wrote ", StringComparison.Ordinal)));

    /// <summary>sweep.json without its wall-clock fields.</summary>
    internal static string ComparableJson(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.True(json.Remove("wall_s") && json.Remove("wall_clock"), "sweep.json has wall_s and wall_clock");
        return json.ToJsonString();
    }

    [Fact]
    public void Three_shards_merged_give_exactly_the_report_of_the_unsharded_sweep()
    {
        var whole = TempDir();
        var sharded = TempDir();
        var one = Sweep(whole);
        Assert.True(one.Code == 1, one.Err + one.Out); // the candidate breaks
        foreach (var i in new[] { 2, 0, 1 }) // any order, any machine
        {
            var part = Sweep(sharded, "--shard", $"{i}/3");
            Assert.True(part.Code == 0, part.Err + part.Out); // a shard succeeds even when its starts break the candidate
            Assert.Contains($"sweep shard {i}/3: starts ", part.Out);
        }
        Assert.Equal(3, Directory.GetFiles(sharded, "sweep-shard-*-of-3.json").Length);
        var merged = DlpRunner.Run("sweep", "merge", sharded);
        Assert.True(merged.Code == 1, merged.Err + merged.Out);
        Assert.Contains("summed over 3 shards", merged.Out);
        Assert.Contains("BROKEN 14 times; first at start 4 (seed 1000007)", merged.Out);
        Assert.Equal(Comparable(one.Out), Comparable(merged.Out));
        Assert.Equal(ComparableJson(Path.Combine(whole, "sweep.json")), ComparableJson(Path.Combine(sharded, "sweep.json")));
    }

    [Fact]
    public void A_shard_file_records_its_starts_and_every_parameter_and_a_rerun_replaces_it_atomically()
    {
        var dir = TempDir();
        Assert.Equal(0, Sweep(dir, "--shard", "1/3").Code);
        var path = Path.Combine(dir, "sweep-shard-1-of-3.json");
        var first = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(20, (int)first["first_start"]!);
        Assert.Equal(40, (int)first["end_start"]!);
        var keys = first["parameters"]!.AsObject().Select(p => p.Key).ToArray();
        Assert.Equal(["widths", "target", "sampler", "count", "seed", "t_max", "rtol", "atol", "method", "reduction", "batched", "candidate", "tool"], keys);
        Assert.StartsWith("dlp ", (string)first["parameters"]!["tool"]!);
        Assert.Equal(0, Sweep(dir, "--shard", "1/3").Code);
        var second = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        first.Remove("wall_s");
        second.Remove("wall_s");
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Equal(["sweep-shard-1-of-3.json"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).ToArray()); // no temporary file left
    }

    [Theory]
    [InlineData("3/2", "shard indices run from 0 to 1")]
    [InlineData("2/2", "shard indices run from 0 to 1")]
    [InlineData("0/0", "the number of shards must be at least 1")]
    [InlineData("x", "not i/n")]
    [InlineData("1/", "not i/n")]
    [InlineData("-1/3", "not i/n")]
    [InlineData("1/2/3", "not i/n")]
    [InlineData("0/61", "61 shards of 60 starts would leave shards empty")]
    public void A_bad_shard_is_one_line_with_exit_2_before_any_start_runs(string shard, string problem)
    {
        var dir = Path.Combine(Path.GetTempPath(), "dlp-shard-bad-" + Guid.NewGuid().ToString("N")[..8]);
        var line = OneLine(2, Sweep(dir, "--shard", shard));
        Assert.StartsWith($"dlp: error: --shard '{shard}': ", line);
        Assert.Contains(problem, line);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Merge_refuses_a_missing_folder_and_a_folder_without_shards()
    {
        var missing = Path.Combine(Path.GetTempPath(), "dlp-shard-none-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Contains($"sweep merge {missing}: no such folder", OneLine(2, DlpRunner.Run("sweep", "merge", missing)));
        var empty = TempDir();
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "not a shard");
        Assert.Contains("no sweep-shard-i-of-n.json files there", OneLine(2, DlpRunner.Run("sweep", "merge", empty)));
    }

    [Fact]
    public void Merge_names_the_missing_shards_and_then_a_resubmitted_shard_completes_the_set()
    {
        var dir = TempDir();
        Assert.Equal(0, Sweep(dir, "--shard", "0/4").Code);
        Assert.Equal(0, Sweep(dir, "--shard", "2/4").Code);
        var line = OneLine(2, DlpRunner.Run("sweep", "merge", dir));
        Assert.Contains($"sweep merge {dir}: missing shards 1, 3 of 4 (0..3)", line);
        Assert.False(File.Exists(Path.Combine(dir, "sweep.json")));
        Assert.Equal(0, Sweep(dir, "--shard", "1/4").Code);
        Assert.Contains("missing shard 3 of 4", OneLine(2, DlpRunner.Run("sweep", "merge", dir)));
        Assert.Equal(0, Sweep(dir, "--shard", "3/4").Code);
        Assert.Equal(1, DlpRunner.Run("sweep", "merge", dir).Code); // complete: the report (candidate broken)
    }

    [Fact]
    public void Merge_refuses_shards_of_different_sweeps_naming_the_file_and_the_parameter()
    {
        var dir = TempDir();
        Assert.Equal(0, Sweep(dir, "--shard", "0/2").Code);
        Assert.Equal(0, Sweep(dir, "--shard", "1/2", "--rtol", "1e-6").Code);
        var line = OneLine(2, DlpRunner.Run("sweep", "merge", dir));
        Assert.Contains($"{Path.Combine(dir, "sweep-shard-1-of-2.json")}: parameter rtol is 1E-06, but sweep-shard-0-of-2.json has 1E-08", line);
        Assert.Equal(0, Sweep(dir, "--shard", "1/2", "--seed", "2").Code);
        Assert.Contains("parameter seed is 2, but sweep-shard-0-of-2.json has 1", OneLine(2, DlpRunner.Run("sweep", "merge", dir)));
    }

    [Fact]
    public void Merge_refuses_two_layouts_in_one_folder_and_unreadable_shard_files()
    {
        var dir = TempDir();
        Assert.Equal(0, Sweep(dir, "--shard", "0/2").Code);
        Assert.Equal(0, Sweep(dir, "--shard", "0/3").Code);
        Assert.Contains("shards of 2 different layouts (sweep-shard-0-of-2.json, sweep-shard-0-of-3.json)", OneLine(2, DlpRunner.Run("sweep", "merge", dir)));
        File.Delete(Path.Combine(dir, "sweep-shard-0-of-3.json"));
        File.WriteAllText(Path.Combine(dir, "sweep-shard-1-of-2.json"), "{ \"format\": ");
        Assert.Contains($"{Path.Combine(dir, "sweep-shard-1-of-2.json")}: not a readable sweep shard file (invalid JSON", OneLine(2, DlpRunner.Run("sweep", "merge", dir)));
        File.Copy(Path.Combine(dir, "sweep-shard-0-of-2.json"), Path.Combine(dir, "sweep-shard-1-of-2.json"), overwrite: true);
        Assert.Contains("it holds shard 0/2, not the one its name says", OneLine(2, DlpRunner.Run("sweep", "merge", dir)));
    }

    [Fact]
    public void Slurm_options_without_slurm_and_shard_with_slurm_are_refused()
    {
        var dir = TempDir();
        Assert.Equal("dlp: error: --partition is a --slurm option: add --slurm, or leave --partition out", OneLine(2, Sweep(dir, "--partition", "debug")));
        Assert.Contains("--shard with --slurm: give one of them", OneLine(2, Sweep(dir, "--slurm", "--shard", "0/2")));
        Assert.Contains("--array-size 61: must be between 1 and --count (60)", OneLine(2, Sweep(dir, "--slurm", "--array-size", "61", "--no-submit")));
        Assert.Contains("--time 'two hours': must be one word", OneLine(2, Sweep(dir, "--slurm", "--time", "two hours", "--no-submit")));
    }

    [Fact]
    public void Slurm_writes_an_array_job_a_merge_job_and_a_submit_script()
    {
        var dir = TempDir();
        var (code, output, err) = Sweep(dir, "--slurm", "--array-size", "4", "--time", "00:20:00", "--partition", "debug", "--dlp", "/opt/dlp/dlp", "--no-submit");
        Assert.True(code == 0, err + output);
        Assert.Contains($"submit on the cluster with: bash {Path.Combine(dir, "slurm", "submit.sh")}", output);
        var array = File.ReadAllText(Path.Combine(dir, "slurm", "sweep.sbatch"));
        Assert.Contains("#SBATCH --array=0-3\n", array);
        Assert.Contains("#SBATCH --time=00:20:00\n#SBATCH --partition=debug\n", array);
        Assert.Contains($"#SBATCH --output={dir}/slurm/sweep-%A_%a.out\n", array);
        Assert.EndsWith($"exec /opt/dlp/dlp sweep --widths 2,1,2 --target 'diag(1,1)' --init random:scale=0.3 --count 60 --seed 1 --t-max 10 --rtol 1e-08 --atol 1e-10 --method auto --reduction full --candidate 'P[1,1] > -0.05' --shard \"${{SLURM_ARRAY_TASK_ID}}/4\" --out {dir}\n", array);
        var merge = File.ReadAllText(Path.Combine(dir, "slurm", "merge.sbatch"));
        Assert.Contains($"/opt/dlp/dlp sweep merge {dir}\n", merge);
        var submit = File.ReadAllText(Path.Combine(dir, "slurm", "submit.sh"));
        Assert.Contains($"array=$(sbatch --parsable {dir}/slurm/sweep.sbatch)", submit);
        Assert.Contains($"merge=$(sbatch --parsable --dependency=afterok:${{array}} {dir}/slurm/merge.sbatch)", submit);
    }

    [BashFact]
    public void The_generated_scripts_run_as_plain_bash_give_the_unsharded_report()
    {
        // What each Slurm task does, without Slurm: bash runs the array script once per task id, then the merge script.
        var whole = TempDir();
        var one = Sweep(whole);
        var dir = TempDir();
        Assert.Equal(0, Sweep(dir, "--slurm", "--array-size", "2", "--no-submit").Code);
        foreach (var (script, task) in new[] { ("sweep.sbatch", "0"), ("sweep.sbatch", "1"), ("merge.sbatch", "") })
        {
            var start = new System.Diagnostics.ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(dir, "slurm", script));
            start.Environment["SLURM_ARRAY_TASK_ID"] = task;
            using var p = System.Diagnostics.Process.Start(start)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            Assert.True(p.WaitForExit(120_000), $"{script} did not finish in 120 s");
            Assert.True(p.ExitCode == 0, $"{script} task '{task}' exited {p.ExitCode}: {stderr.Result} {stdout.Result}");
            if (script == "merge.sbatch") Assert.Equal(Comparable(one.Out), Comparable(stdout.Result));
        }
        Assert.Equal(ComparableJson(Path.Combine(whole, "sweep.json")), ComparableJson(Path.Combine(dir, "sweep.json")));
    }
}
