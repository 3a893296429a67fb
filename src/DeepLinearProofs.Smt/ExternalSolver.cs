using System.Diagnostics;
using System.Globalization;

namespace DeepLinearProofs.Smt;

/// <summary>
/// A solver run as a separate process on an SMT-LIB2 file: the Debian <c>z3</c> and <c>cvc5</c>
/// binaries, or Z3 4.15 compiled to WebAssembly under Node (<c>tools/z3-wasm</c>), a different Z3 generation.
/// Every route is killed at the budget's wall-clock cap.
/// </summary>
public sealed class ExternalSolver : ISolver
{
    private readonly string _program;
    private readonly Func<string, SolverBudget, string[]> _arguments;
    private readonly Func<string, string> _rewrite;
    private readonly string _install;
    private readonly Func<bool>? _extraCheck;

    private ExternalSolver(string name, string program, Func<string, SolverBudget, string[]> arguments, string install,
        Func<string, string>? rewrite = null, Func<bool>? extraCheck = null)
    {
        Name = name;
        _program = program;
        _arguments = arguments;
        _install = install;
        _rewrite = rewrite ?? (s => s);
        _extraCheck = extraCheck;
    }

    public string Name { get; }

    /// <summary>Debian's z3 4.8.12 binary; the rlimit is also given on the command line (the script's own option wins).</summary>
    public static ExternalSolver Z3Binary() =>
        new("z3-binary", "z3", (file, b) => ["-smt2", $"rlimit={b.Rlimit.ToString(CultureInfo.InvariantCulture)}", file], "apt-get install -y z3",
            rewrite: SolverBudget.DeterministicZ3);

    /// <summary>
    /// cvc5 accepts <c>(set-option :rlimit N)</c> but counts in its own units (a Z3-sized limit runs out at once),
    /// so the option is removed and cvc5 is bounded by the wall-clock cap only.
    /// </summary>
    public static ExternalSolver Cvc5() =>
        new("cvc5", "cvc5", (file, _) => ["--lang", "smt2", file], "apt-get install -y cvc5", SolverBudget.WithoutRlimit);

    /// <summary>npm's z3-solver under node, installed by 'npm ci --prefix tools/z3-wasm'; it runs the script's rlimit option.</summary>
    public static ExternalSolver Z3Wasm(string toolDirectory) =>
        new("z3-wasm", "node", (file, _) => [Path.Combine(toolDirectory, "check.mjs"), file], $"npm ci --prefix {toolDirectory}",
            rewrite: SolverBudget.DeterministicZ3, extraCheck: () => Directory.Exists(Path.Combine(toolDirectory, "node_modules", "z3-solver")));

    /// <summary>Routes by name: z3 (the worker process), z3-binary, cvc5, z3-wasm.</summary>
    public static ISolver ByName(string name, string z3WasmDirectory) => name switch
    {
        "z3" => new Z3Worker(),
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

    public SolverAnswer Check(string script, SolverBudget budget, CancellationToken cancel = default)
    {
        if (Unavailable is { } why) return new SolverAnswer.Unknown(why);
        var file = Path.Combine(Path.GetTempPath(), $"dlp-{Guid.NewGuid():N}.smt2");
        try
        {
            File.WriteAllText(file, _rewrite(script) + "\n(get-info :reason-unknown)\n");
            var start = new ProcessStartInfo(_program);
            foreach (var a in _arguments(file, budget)) start.ArgumentList.Add(a);
            var run = SolverProcess.Run(start, null, budget.WallCap, cancel);
            switch (run)
            {
                case SolverRun.Exited e:
                    var answer = budget.Explain(SolverAnswer.Parse(e.Stdout));
                    return answer is SolverAnswer.Unknown u && e.Stderr.Trim().Length > 0
                        ? new SolverAnswer.Unknown($"{u.Reason}; stderr: {SolverProcess.FirstLine(e.Stderr)}")
                        : answer;
                case SolverRun.Capped:
                    return new SolverAnswer.Unknown($"wall-clock cap of {budget.WallCap.TotalSeconds:0.###} s reached; solver killed");
                case SolverRun.Cancelled:
                    return new SolverAnswer.Unknown("cancelled");
                case SolverRun.Failed f:
                    return new SolverAnswer.Unknown($"{Name} could not be run: {f.Message}");
                default:
                    throw new InvalidOperationException("unreachable");
            }
        }
        catch (IOException e)
        {
            return new SolverAnswer.Unknown($"{Name} could not be run: {e.Message}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
