using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DeepLinearProofs.Smt;

/// <summary>
/// The primary route "z3": libz3 in a worker process of our own (DeepLinearProofs.Z3Worker.dll beside this
/// assembly), one process per check, killed at the wall-clock cap or on cancellation. libz3 is never loaded here.
/// </summary>
public sealed class Z3Worker : ISolver
{
    /// <summary>The worker's file name, looked up beside the running binary.</summary>
    public const string FileName = "DeepLinearProofs.Z3Worker.dll";

    private static readonly ConcurrentDictionary<string, Lazy<(string? Version, string? Unavailable)>> Probes = new();
    private readonly string _dll;

    public Z3Worker(string? directory = null) => _dll = Path.GetFullPath(Path.Combine(directory ?? AppContext.BaseDirectory, FileName));

    public string Name => "z3";

    public string? Unavailable => Probe().Unavailable;

    /// <summary>The libz3 version the worker loads, e.g. "4.8.12", or null when unavailable.</summary>
    public string? Version => Probe().Version;

    private (string? Version, string? Unavailable) Probe() => Probes.GetOrAdd(_dll, dll => new Lazy<(string?, string?)>(() => ProbeWorker(dll))).Value;

    private static (string?, string?) ProbeWorker(string dll)
    {
        if (!File.Exists(dll)) return (null, $"the z3 worker {dll} is missing: rebuild (dotnet build DeepLinearProofs.sln)");
        var run = SolverProcess.Run(Start(dll, "--version"), null, TimeSpan.FromSeconds(60), CancellationToken.None);
        return run switch
        {
            SolverRun.Exited { Code: 0 } e => (e.Stdout.Trim(), null),
            SolverRun.Exited { Code: 4 } e => (null, SolverProcess.FirstLine(e.Stdout)),
            SolverRun.Exited e => (null, $"the z3 worker failed to start (exit {e.Code}): {SolverProcess.FirstLine(e.Stderr + "\n" + e.Stdout)}"),
            SolverRun.Failed f => (null, $"the z3 worker could not be run: {f.Message}"),
            _ => (null, "the z3 worker did not answer --version"),
        };
    }

    public SolverAnswer Check(string script, SolverBudget budget, CancellationToken cancel = default)
    {
        if (Unavailable is { } why) return new SolverAnswer.Unknown(why);
        var input = SolverBudget.DeterministicZ3(script).TrimEnd('\n') + "\n" + DeepLinearProofs.Worker.Program.Terminator + "\n";
        var run = SolverProcess.Run(Start(_dll, "--parent", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)), input, budget.WallCap, cancel);
        return run switch
        {
            SolverRun.Exited { Code: 0 } e => budget.Explain(SolverAnswer.Parse(e.Stdout)),
            SolverRun.Exited e => new SolverAnswer.Unknown($"z3 worker failed (exit {e.Code}): {SolverProcess.FirstLine(e.Stderr + "\n" + e.Stdout)}"),
            SolverRun.Capped => new SolverAnswer.Unknown($"wall-clock cap of {budget.WallCap.TotalSeconds:0.###} s reached; solver killed"),
            SolverRun.Cancelled => new SolverAnswer.Unknown("cancelled"),
            SolverRun.Failed f => new SolverAnswer.Unknown($"z3 worker could not be run: {f.Message}"),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static ProcessStartInfo Start(string dll, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost());
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>The dotnet host that runs this process, else the one of this runtime, else 'dotnet' on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"), FromRuntimeDirectory(), FromRoot() })
            if (candidate is not null && File.Exists(candidate)) return candidate;
        return "dotnet";
    }

    // <root>/shared/Microsoft.NETCore.App/<version>/ -> <root>/dotnet
    private static string? FromRuntimeDirectory()
    {
        var dir = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
        var root = dir.Parent?.Parent?.Parent;
        return root is null ? null : Path.Combine(root.FullName, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
    }

    private static string? FromRoot() =>
        Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet") : null;
}
