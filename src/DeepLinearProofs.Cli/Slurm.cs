using System.Diagnostics;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Reporting;

namespace DeepLinearProofs.Cli;

/// <summary>Writes the Slurm scripts of a sharded sweep and, when asked and sbatch is on the PATH, submits them.</summary>
public static class Slurm
{
    /// <summary>This dlp as a shell command: the dotnet host running it (or dotnet from the PATH) and the absolute path of dlp.dll.</summary>
    public static string ThisDlp()
    {
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return $"{SlurmScripts.Quote(host)} {SlurmScripts.Quote(typeof(DlpApp).Assembly.Location)}";
    }

    /// <summary>sbatch on the PATH, or null.</summary>
    public static string? Sbatch() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "sbatch")).FirstOrDefault(File.Exists);

    public static int WriteAndSubmit(SlurmPlan plan, bool submit, TextWriter stdout)
    {
        Directory.CreateDirectory(plan.Folder);
        File.WriteAllText(plan.ArrayScriptPath, SlurmScripts.ArrayScript(plan));
        File.WriteAllText(plan.MergeScriptPath, SlurmScripts.MergeScript(plan));
        File.WriteAllText(plan.SubmitScriptPath, SlurmScripts.SubmitScript(plan));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(plan.SubmitScriptPath, File.GetUnixFileMode(plan.SubmitScriptPath) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        stdout.WriteLine($"wrote {plan.ArrayScriptPath} ({plan.Shards} array tasks), {plan.MergeScriptPath} and {plan.SubmitScriptPath}");
        var sbatch = submit ? Sbatch() : null;
        if (sbatch is null)
        {
            stdout.WriteLine($"{(submit ? "sbatch is not on the PATH; " : "")}submit on the cluster with: bash {plan.SubmitScriptPath}");
            stdout.WriteLine($"then the merged report is {Path.Combine(plan.Out, "sweep.json")} (or run: dlp sweep merge {plan.Out})");
            return ExitCodes.Ok;
        }
        var array = Run(sbatch, SlurmScripts.SubmitArguments(plan, "").Array);
        var merge = Run(sbatch, SlurmScripts.SubmitArguments(plan, array).Merge);
        stdout.WriteLine($"submitted array job {array} ({plan.Shards} tasks) and merge job {merge} (--dependency=afterok:{array})");
        stdout.WriteLine($"the merged report will be {Path.Combine(plan.Out, "sweep.json")}; merge log {Path.Combine(plan.Folder, $"merge-{merge}.out")}");
        return ExitCodes.Ok;
    }

    /// <summary>Runs sbatch --parsable and returns the job id ("id" or "id;cluster" on stdout); one-line error otherwise.</summary>
    private static string Run(string sbatch, string[] arguments)
    {
        var start = new ProcessStartInfo(sbatch) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new NetworkInputException($"--slurm: could not start {sbatch}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new NetworkInputException($"--slurm: {sbatch} {string.Join(" ", arguments)} did not answer in 60 s; is slurmctld up? (the scripts are written: submit them later with bash submit.sh)");
        }
        var id = output.Result.Trim().Split(';')[0];
        if (process.ExitCode != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new NetworkInputException($"--slurm: {sbatch} {string.Join(" ", arguments)} failed (exit {process.ExitCode}): {OneLine(error.Result + " " + output.Result)}");
        return id;
    }

    private static string OneLine(string s) => string.Join(" ", s.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
