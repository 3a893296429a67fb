using System.Globalization;
using System.Text.RegularExpressions;

namespace DeepLinearProofs.Smt;

/// <summary>
/// The budget of one solver call: Z3's resource limit decides the verdict (deterministic, load-independent);
/// the wall-clock cap only kills a solver that overruns it, and then the answer is unknown.
/// </summary>
public sealed partial record SolverBudget(long Rlimit, TimeSpan WallCap)
{
    /// <summary>
    /// Default rlimit per obligation. Calibrated on the library's 44 obligations (Z3 4.8.12, nlsat alone, see
    /// <see cref="DeterministicZ3"/>): the counts are reproducible and the largest is 2.67e7 (T7 at 3,1,3, about 10 s),
    /// so 1e8 is 3.7x that; the next largest is 9.5e6.
    /// </summary>
    public const long DefaultRlimit = 100_000_000;

    /// <summary>
    /// Default wall-clock cap per obligation: a safety net, not a budget. The slowest library obligation takes
    /// about 10 s idle and 1e8 units take about 40 s, so even on a loaded 2-core machine the rlimit decides first.
    /// </summary>
    public static readonly TimeSpan DefaultWallCap = TimeSpan.FromSeconds(300);

    public static SolverBudget Default { get; } = new(DefaultRlimit, DefaultWallCap);

    /// <summary>The N of the first <c>(set-option :rlimit N)</c> in a script, or null.</summary>
    public static long? RlimitIn(string script) =>
        RlimitOption().Match(script) is { Success: true } m && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The script without its <c>(set-option :rlimit N)</c> lines (for routes whose units differ).</summary>
    public static string WithoutRlimit(string script) => RlimitOption().Replace(script, "");

    /// <summary>An unknown caused by the resource limit says so, with the limit; other answers pass through.</summary>
    public SolverAnswer Explain(SolverAnswer answer) =>
        answer is SolverAnswer.Unknown u && IsResourceOut(u.Reason) ? new SolverAnswer.Unknown($"resource limit (rlimit {Rlimit}) reached") : answer;

    private static bool IsResourceOut(string reason) =>
        reason.Contains("resource limit", StringComparison.OrdinalIgnoreCase) || reason.Contains("resourceout", StringComparison.OrdinalIgnoreCase)
        || reason.Trim() is "canceled" or "cancelled" or "(resource limits reached)";

    [GeneratedRegex(@"^\(set-option :rlimit (\d+)\)[ \t]*\r?\n?", RegexOptions.Multiline)]
    private static partial Regex RlimitOption();

    /// <summary>
    /// The script as the Z3 routes run it: each <c>(check-sat)</c> becomes <c>(check-sat-using qfnra-nlsat)</c>. Z3's default
    /// QF_NRA strategy is a portfolio whose first branches are <c>try_for(nlsat, 5000)</c> and <c>try_for(nlsat, 10000)</c>:
    /// wall-clock limits that switch strategy after 5 s and 15 s, so the same obligation took 1 s idle and hit a 300 s cap
    /// under load, and answered "unknown" at -t:4000 but hung at -t:5000. nlsat alone is complete for QF_NRA,
    /// deterministic, and bounded by the rlimit; the recorded certificate keeps the standard <c>(check-sat)</c>.
    /// </summary>
    public static string DeterministicZ3(string script) => CheckSat().Replace(script, "(check-sat-using qfnra-nlsat)");

    [GeneratedRegex(@"^\(check-sat\)[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex CheckSat();
}
