using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>
/// A one-node Slurm cluster on this machine for the Slurm category: munged, slurmctld and slurmd on localhost, with the
/// slurm.conf written here (state, spool, logs and pid files in one folder). Started only when the category is opted
/// into (DLP_SLURM_TESTS=1, which .ci/run sets after installing slurm-wlm and munge), as root; otherwise, or when a
/// daemon does not come up, <see cref="SkipReason"/> says why and the tests are skipped, never passed.
/// </summary>
internal static class OneNodeSlurm
{
    public const string OptIn = "DLP_SLURM_TESTS";
    public static readonly string Folder = Path.Combine(Path.GetTempPath(), "dlp-slurm-cluster");
    public static string Conf => Path.Combine(Folder, "slurm.conf");

    private static readonly Lazy<string?> Reason = new(Start);

    /// <summary>Null when the cluster is up (SLURM_CONF then points at it for this process and its children), else why not.</summary>
    public static string? SkipReason => Reason.Value;

    /// <summary>Seconds the cluster took to start (0 when it was already up).</summary>
    public static double StartSeconds { get; private set; }

    private static bool _startedMunge;

    private static string? Start()
    {
        if (Environment.GetEnvironmentVariable(OptIn) != "1")
            return $"Slurm tests are opt-in: set {OptIn}=1 as root on a machine with slurm-wlm and munge (.ci/run does after installing them)";
        if (!OperatingSystem.IsLinux()) return "needs Linux (slurm-wlm)";
        if (Environment.UserName != "root") return "needs root to start munged, slurmctld and slurmd";
        var missing = new[] { "/usr/sbin/munged", "/usr/bin/munge", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch", "/usr/bin/squeue", "/usr/bin/sinfo" }.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0) return $"slurm-wlm and munge are not installed (missing {string.Join(", ", missing)}): apt-get install -y slurm-wlm munge";
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var sub in new[] { "state", "spool", "log" }) Directory.CreateDirectory(Path.Combine(Folder, sub));
            if (Sh("munge -n | unmunge >/dev/null", 10).Code != 0)
            {
                var setup = Sh("""
                    set -e
                    if [ ! -s /etc/munge/munge.key ]; then mkdir -p /etc/munge; dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null; fi
                    chown -R munge:munge /etc/munge && chmod 700 /etc/munge && chmod 400 /etc/munge/munge.key
                    mkdir -p /run/munge /var/lib/munge /var/log/munge && chown munge:munge /run/munge /var/lib/munge /var/log/munge && chmod 755 /run/munge
                    runuser -u munge -- /usr/sbin/munged
                    """, 20);
                if (setup.Code != 0) return $"munged did not start: {setup.Output}";
                _startedMunge = true;
                if (Sh("munge -n | unmunge >/dev/null", 10) is { Code: not 0 } check) return $"munge does not answer after starting munged: {check.Output}";
            }
            var host = Sh("hostname -s", 5).Output.Trim();
            File.WriteAllText(Conf, Config(host, Environment.ProcessorCount));
            Environment.SetEnvironmentVariable("SLURM_CONF", Conf);
            if (!Alive("slurmctld.pid") || !Alive("slurmd.pid"))
            {
                Stop(includeMunge: false);
                // A fresh cluster: no jobs recovered from an earlier run's state (they would hold the node), -c for both daemons.
                foreach (var sub in new[] { "state", "spool" })
                {
                    Directory.Delete(Path.Combine(Folder, sub), recursive: true);
                    Directory.CreateDirectory(Path.Combine(Folder, sub));
                }
                var up = Sh($"/usr/sbin/slurmctld -c -f {Conf} && /usr/sbin/slurmd -c -f {Conf}", 30);
                if (up.Code != 0) return $"slurmctld/slurmd did not start: {up.Output} {Logs()}";
            }
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (Sh("sinfo -h -N -o %T", 10).Output.Trim() is "idle" or "mixed" or "allocated")
                {
                    StartSeconds = clock.Elapsed.TotalSeconds;
                    return null;
                }
                Thread.Sleep(500);
            }
            return $"the node did not become idle within 60 s (sinfo: {Sh("sinfo -h -N -o '%T %E'", 10).Output.Trim()}) {Logs()}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return $"could not set up the cluster: {e.Message}";
        }
    }

    /// <summary>The slurm.conf of the one-node cluster: root runs everything, no cgroups, no accounting.</summary>
    public static string Config(string host, int cpus) => string.Join("\n",
        "ClusterName=dlptest",
        $"SlurmctldHost={host}",
        "SlurmUser=root",
        "SlurmdUser=root",
        "AuthType=auth/munge",
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_CPU",
        "SchedulerType=sched/backfill",
        "MpiDefault=none",
        "JobAcctGatherType=jobacct_gather/none",
        "AccountingStorageType=accounting_storage/none",
        "ReturnToService=2",
        "MinJobAge=600",
        "SlurmctldPort=6817",
        "SlurmdPort=6818",
        $"StateSaveLocation={Path.Combine(Folder, "state")}",
        $"SlurmdSpoolDir={Path.Combine(Folder, "spool")}",
        $"SlurmctldPidFile={Path.Combine(Folder, "slurmctld.pid")}",
        $"SlurmdPidFile={Path.Combine(Folder, "slurmd.pid")}",
        $"SlurmctldLogFile={Path.Combine(Folder, "log", "slurmctld.log")}",
        $"SlurmdLogFile={Path.Combine(Folder, "log", "slurmd.log")}",
        $"NodeName={host} CPUs={cpus.ToString(CultureInfo.InvariantCulture)} State=UNKNOWN",
        $"PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP",
        "");

    /// <summary>Stops the daemons this fixture started, by the pids in their pid files.</summary>
    public static void Stop(bool includeMunge = true)
    {
        foreach (var file in new[] { "slurmd.pid", "slurmctld.pid" })
            if (Pid(file) is { } pid)
                try
                {
                    using var p = Process.GetProcessById(pid);
                    Sh($"kill -TERM {pid}", 5); // a clean shutdown saves a consistent state
                    if (!p.WaitForExit(10_000)) p.Kill();
                }
                catch (ArgumentException) { } // already gone
                catch (InvalidOperationException) { }
                finally { File.Delete(Path.Combine(Folder, file)); } // so nothing later signals a reused pid
        if (includeMunge && _startedMunge && File.Exists("/run/munge/munged.pid")
            && int.TryParse(File.ReadAllText("/run/munge/munged.pid").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var munged))
            try { using var p = Process.GetProcessById(munged); p.Kill(); }
            catch (ArgumentException) { }
    }

    private static int? Pid(string file)
    {
        var path = Path.Combine(Folder, file);
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private static bool Alive(string file)
    {
        if (Pid(file) is not { } pid) return false;
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static string Logs() => string.Join(" | ", new[] { "slurmctld.log", "slurmd.log" }
        .Select(f => Path.Combine(Folder, "log", f)).Where(File.Exists)
        .Select(f => $"{Path.GetFileName(f)}: {string.Join(" / ", File.ReadAllLines(f).TakeLast(3))}"));

    /// <summary>Runs a bash script with a wall-clock cap; output is stdout and stderr together.</summary>
    public static (int Code, string Output) Sh(string script, int seconds)
    {
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var p = Process.Start(start)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(seconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            return (-1, $"'{script}' did not finish in {seconds} s");
        }
        p.WaitForExit();
        return (p.ExitCode, (o.Result + e.Result).Trim());
    }
}

/// <summary>A fact of the Slurm category: skipped, with the reason, unless the one-node cluster is up.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (OneNodeSlurm.SkipReason is { } why) Skip = why;
    }
}

/// <summary>A fact that needs /bin/bash (the generated Slurm scripts are bash); skipped, with the reason, elsewhere.</summary>
public sealed class BashFactAttribute : FactAttribute
{
    public BashFactAttribute()
    {
        if (!File.Exists("/bin/bash")) Skip = "needs /bin/bash to run the generated scripts";
    }
}
