using System.Diagnostics;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Proofs;

/// <summary>How a second route answered one certificate.</summary>
public enum RecheckStatus { Agreed, Disagreed, SecondRouteUnknown, FirstRouteUnknown, Unavailable }

public sealed record RecheckRow(string File, string Expected, string Got, RecheckStatus Status, TimeSpan Elapsed);

/// <summary>
/// Re-runs certificate files (.smt2 written by verify, first line "; expected: unsat|sat|unknown") on
/// another route. "Agreed" only when the second route gives the same definite answer; an unknown or
/// unavailable second route is never agreement.
/// </summary>
public static class CertificateRecheck
{
    /// <summary>
    /// Each certificate runs under the rlimit it records (<c>(set-option :rlimit N)</c>; <paramref name="defaultRlimit"/> when it
    /// has none) and the wall-clock cap <paramref name="wallCap"/>.
    /// </summary>
    public static IReadOnlyList<RecheckRow> Run(string directory, ISolver solver, TimeSpan wallCap, Action<int, int>? progress = null,
        long defaultRlimit = SolverBudget.DefaultRlimit, CancellationToken cancel = default)
    {
        if (!Directory.Exists(directory)) throw new LemmaFileException(directory, 0, "no such certificate folder; run 'dlp verify' first (certificates go to out/certificates)");
        var files = Directory.EnumerateFiles(directory, "*.smt2", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var rows = new List<RecheckRow>();
        var unavailable = solver.Unavailable;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var expected = Expected(text);
            var clock = Stopwatch.StartNew();
            if (unavailable is not null)
            {
                rows.Add(new RecheckRow(file, expected, unavailable, RecheckStatus.Unavailable, TimeSpan.Zero));
                continue;
            }
            var answer = solver.Check(text, new SolverBudget(SolverBudget.RlimitIn(text) ?? defaultRlimit, wallCap), cancel);
            cancel.ThrowIfCancellationRequested();
            clock.Stop();
            var got = answer switch { SolverAnswer.Unsat => "unsat", SolverAnswer.Sat => "sat", SolverAnswer.Unknown u => $"unknown ({u.Reason})", _ => "?" };
            var status = expected is not ("unsat" or "sat") ? RecheckStatus.FirstRouteUnknown
                : answer is SolverAnswer.Unknown ? RecheckStatus.SecondRouteUnknown
                : got == expected ? RecheckStatus.Agreed : RecheckStatus.Disagreed;
            rows.Add(new RecheckRow(file, expected, got, status, clock.Elapsed));
            progress?.Invoke(rows.Count, files.Count);
        }
        return rows;
    }

    private static string Expected(string text)
    {
        var first = text.Split('\n', 2)[0];
        const string marker = "; expected: ";
        return first.StartsWith(marker, StringComparison.Ordinal) ? first[marker.Length..].Split(' ')[0] : "missing";
    }

    /// <summary>0 all agreed, 1 a disagreement, 2 anything unknown or unavailable (or no certificates).</summary>
    public static int ExitCode(IReadOnlyList<RecheckRow> rows) =>
        rows.Any(r => r.Status == RecheckStatus.Disagreed) ? 1 : rows.Count == 0 || rows.Any(r => r.Status != RecheckStatus.Agreed) ? 2 : 0;
}
