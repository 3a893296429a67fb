using System.Globalization;
using System.Text;

namespace DeepLinearProofs.Reporting;

/// <summary>
/// A sharded sweep as Slurm jobs: <paramref name="Dlp"/> is the command that runs dlp on the cluster (already shell text,
/// e.g. <c>'/usr/bin/dotnet' '/home/me/DeepLinearProofs/src/DeepLinearProofs.Cli/bin/Debug/net10.0/dlp.dll'</c>);
/// <paramref name="SweepArguments"/> are the sweep's own options (no --shard, --out or Slurm options); <paramref name="Out"/>
/// is the absolute result folder, which every node must see.
/// </summary>
public sealed record SlurmPlan(string Dlp, IReadOnlyList<string> SweepArguments, string Out, int Shards)
{
    public string? Time { get; init; }
    public string? Partition { get; init; }
    public int? CpusPerTask { get; init; }

    public string Folder => Path.Combine(Out, "slurm");
    public string ArrayScriptPath => Path.Combine(Folder, "sweep.sbatch");
    public string MergeScriptPath => Path.Combine(Folder, "merge.sbatch");
    public string SubmitScriptPath => Path.Combine(Folder, "submit.sh");
}

/// <summary>The text of the array job, the merge job and a submit script for a <see cref="SlurmPlan"/>.</summary>
public static class SlurmScripts
{
    /// <summary>One array task per shard: task i runs <c>--shard i/n</c> and writes OUT/sweep-shard-i-of-n.json.</summary>
    public static string ArrayScript(SlurmPlan p)
    {
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append("# dlp sweep in ").Append(p.Shards.ToString(CultureInfo.InvariantCulture)).Append(" shards: array task i runs --shard i/")
            .Append(p.Shards.ToString(CultureInfo.InvariantCulture)).Append(" and writes sweep-shard-i-of-n.json in the --out folder.\n");
        s.Append("# A failed task is resubmitted alone (sbatch --array=i ").Append(p.ArrayScriptPath).Append("); its new file replaces the old one.\n");
        s.Append("#SBATCH --job-name=dlp-sweep\n");
        s.Append("#SBATCH --array=0-").Append((p.Shards - 1).ToString(CultureInfo.InvariantCulture)).Append('\n');
        s.Append("#SBATCH --output=").Append(Path.Combine(p.Folder, "sweep-%A_%a.out")).Append('\n');
        Common(s, p);
        s.Append("set -euo pipefail\n");
        s.Append("exec ").Append(p.Dlp).Append(" sweep ").Append(string.Join(" ", p.SweepArguments.Select(Quote)))
            .Append(" --shard \"${SLURM_ARRAY_TASK_ID}/").Append(p.Shards.ToString(CultureInfo.InvariantCulture)).Append("\" --out ").Append(Quote(p.Out)).Append('\n');
        return s.ToString();
    }

    /// <summary>Merges the shards into OUT/sweep.json; submitted with --dependency=afterok on the array job.</summary>
    public static string MergeScript(SlurmPlan p)
    {
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append("# Merges the shards of ").Append(p.ArrayScriptPath).Append(" into ").Append(Path.Combine(p.Out, "sweep.json")).Append(" (the report of the same sweep run on one machine).\n");
        s.Append("#SBATCH --job-name=dlp-sweep-merge\n");
        s.Append("#SBATCH --output=").Append(Path.Combine(p.Folder, "merge-%j.out")).Append('\n');
        Common(s, p, cpus: false);
        s.Append("set -uo pipefail\n");
        s.Append(p.Dlp).Append(" sweep merge ").Append(Quote(p.Out)).Append('\n');
        s.Append("rc=$?\n");
        s.Append("# Exit 1 means the merged report shows the candidate broken: a result, not a failed job.\n");
        s.Append("if [ \"$rc\" -eq 1 ]; then exit 0; fi\n");
        s.Append("exit \"$rc\"\n");
        return s.ToString();
    }

    /// <summary>Submits the array job, then the merge job after it (afterok: only when every task succeeded).</summary>
    public static string SubmitScript(SlurmPlan p)
    {
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append("set -euo pipefail\n");
        s.Append("array=$(sbatch --parsable ").Append(Quote(p.ArrayScriptPath)).Append(")\n");
        s.Append("array=${array%%;*}\n");
        s.Append("merge=$(sbatch --parsable --dependency=afterok:${array} ").Append(Quote(p.MergeScriptPath)).Append(")\n");
        s.Append("merge=${merge%%;*}\n");
        s.Append("echo \"submitted array job ${array} (").Append(p.Shards.ToString(CultureInfo.InvariantCulture))
            .Append(" tasks) and merge job ${merge} (runs after all of them succeed)\"\n");
        return s.ToString();
    }

    /// <summary>The sbatch arguments that submit the two jobs, the merge job after the array job <paramref name="arrayJob"/>.</summary>
    public static (string[] Array, string[] Merge) SubmitArguments(SlurmPlan p, string arrayJob) =>
        (["--parsable", p.ArrayScriptPath], ["--parsable", $"--dependency=afterok:{arrayJob}", p.MergeScriptPath]);

    private static void Common(StringBuilder s, SlurmPlan p, bool cpus = true)
    {
        if (p.Time is { } t) s.Append("#SBATCH --time=").Append(t).Append('\n');
        if (p.Partition is { } part) s.Append("#SBATCH --partition=").Append(part).Append('\n');
        if (cpus && p.CpusPerTask is { } c) s.Append("#SBATCH --cpus-per-task=").Append(c.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>A word for bash: kept as it is when it has only safe characters, else single-quoted.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_./:=,+@%".Contains(ch))
            ? word
            : "'" + word.Replace("'", "'\"'\"'") + "'";
}
