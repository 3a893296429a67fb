using System.Diagnostics;

namespace DeepLinearProofs.Smt;

/// <summary>
/// A solver run as a separate process on an SMT-LIB2 file: the Debian <c>z3</c> and <c>cvc5</c>
/// binaries, or Z3 4.15 compiled to WebAssembly under Node (<c>tools/z3-wasm</c>), a different Z3 generation.
/// </summary>
public sealed class ExternalSolver : ISolver
{
    private readonly string _program;
    private readonly Func<string, TimeSpan, string[]> _arguments;
    private readonly string _install;
    private readonly Func<bool>? _extraCheck;

    private ExternalSolver(string name, string program, Func<string, TimeSpan, string[]> arguments, string install, Func<bool>? extraCheck = null)
    {
        Name = name;
        _program = program;
        _arguments = arguments;
        _install = install;
        _extraCheck = extraCheck;
    }

    public string Name { get; }

    public static ExternalSolver Z3Binary() =>
        new("z3-binary", "z3", (file, t) => ["-smt2", $"-T:{Math.Max(1, (int)Math.Ceiling(t.TotalSeconds))}", file], "apt-get install -y z3");

    public static ExternalSolver Cvc5() =>
        new("cvc5", "cvc5", (file, t) => ["--lang", "smt2", $"--tlimit-per={(long)t.TotalMilliseconds}", file], "apt-get install -y cvc5");

    /// <summary>npm's z3-solver under node, installed by 'npm ci --prefix tools/z3-wasm'.</summary>
    public static ExternalSolver Z3Wasm(string toolDirectory) =>
        new("z3-wasm", "node", (file, _) => [Path.Combine(toolDirectory, "check.mjs"), file], $"npm ci --prefix {toolDirectory}",
            () => Directory.Exists(Path.Combine(toolDirectory, "node_modules", "z3-solver")));

    /// <summary>Routes by name: z3 (in process), z3-binary, cvc5, z3-wasm.</summary>
    public static ISolver ByName(string name, string z3WasmDirectory) => name switch
    {
        "z3" => new Z3InProcess(),
        "z3-binary" => Z3Binary(),
        "cvc5" => Cvc5(),
        "z3-wasm" => Z3Wasm(z3WasmDirectory),
        _ => throw new ArgumentException($"unknown solver '{name}': use z3, z3-binary, cvc5 or z3-wasm"),
    };

    public string? Unavailable
    {
        get
        {
            if (FindOnPath(_program) is null) return $"'{_program}' is not on PATH: {_install}";
            if (_extraCheck is not null && !_extraCheck()) return $"{Name} is not installed: {_install}";
            return null;
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    public SolverAnswer Check(string script, TimeSpan timeout, CancellationToken cancel = default)
    {
        if (Unavailable is { } why) return new SolverAnswer.Unknown(why);
        var file = Path.Combine(Path.GetTempPath(), $"dlp-{Guid.NewGuid():N}.smt2");
        File.WriteAllText(file, script + "\n(get-info :reason-unknown)\n");
        try
        {
            var start = new ProcessStartInfo(_program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in _arguments(file, timeout)) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancel);
            var stderr = process.StandardError.ReadToEndAsync(cancel);
            var limit = timeout + TimeSpan.FromSeconds(5);
            try
            {
                if (!process.WaitForExitAsync(cancel).Wait(limit))
                {
                    process.Kill(true);
                    return new SolverAnswer.Unknown($"timeout after {timeout.TotalSeconds:F0} s");
                }
            }
            catch (AggregateException) when (cancel.IsCancellationRequested)
            {
                process.Kill(true);
                return new SolverAnswer.Unknown("cancelled");
            }
            var answer = SolverAnswer.Parse(stdout.Result);
            return answer is SolverAnswer.Unknown u && stderr.Result.Trim().Length > 0
                ? new SolverAnswer.Unknown($"{u.Reason}; stderr: {stderr.Result.Trim().Split('\n')[0]}")
                : answer;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return new SolverAnswer.Unknown($"{Name} could not be run: {e.Message}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
