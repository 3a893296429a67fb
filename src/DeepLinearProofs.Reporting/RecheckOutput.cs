using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using Spectre.Console;
using Status = DeepLinearProofs.Kernel.Status;

namespace DeepLinearProofs.Reporting;

/// <summary>The output of <c>dlp recheck</c> (second SMT route) and <c>dlp recheck --kernel</c> (kernel replay).</summary>
public static class RecheckOutput
{
    /// <summary>The certificate table and the agreed / disagreed / unknown summary of a second-route recheck.</summary>
    public static void Print(IReadOnlyList<RecheckRow> rows, string dir, string route, TextWriter stdout, Terminal terminal)
    {
        var table = new Table().AddColumns("certificate", "first route", route, "verdict", "time");
        table.Columns[0].NoWrap();
        foreach (var r in rows)
            table.AddRow(Markup.Escape(Path.GetRelativePath(dir, r.File)), r.Expected, Markup.Escape(r.Got.Length > 60 ? r.Got[..60] + "..." : r.Got), Word(r.Status), $"{r.Elapsed.TotalSeconds:F2}s");
        terminal.Console(stdout).Write(table);
        stdout.WriteLine($"recheck ({route}): {rows.Count(r => r.Status == RecheckStatus.Agreed)} agreed, {rows.Count(r => r.Status == RecheckStatus.Disagreed)} disagreed, " +
                         $"{rows.Count(r => r.Status is RecheckStatus.SecondRouteUnknown or RecheckStatus.Unavailable)} second route unknown or unavailable, {rows.Count(r => r.Status == RecheckStatus.FirstRouteUnknown)} first route unknown");
        if (rows.FirstOrDefault(r => r.Status == RecheckStatus.Unavailable) is { } u) stdout.WriteLine($"{route} unavailable: {u.Got}");
    }

    /// <summary>The replay table, one line per disagreement and the summary of <c>dlp recheck --kernel</c>.</summary>
    public static void PrintReplay(IReadOnlyList<ReplayRow> rows, string dir, string route, TextWriter stdout, Terminal terminal)
    {
        var table = new Table().AddColumns("lemma", "network", "recorded", "replayed by the kernel", "verdict", "time");
        table.Columns[0].NoWrap();
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Lemma), Markup.Escape(r.Network), Lower(r.Recorded), Lower(r.Replayed), r.Agreed ? "agreed" : "[red]DISAGREED[/]", $"{r.Elapsed.TotalSeconds:F2}s");
        terminal.Console(stdout).Write(table);
        foreach (var r in rows.Where(r => !r.Agreed)) stdout.WriteLine($"{r.File}: recorded {Lower(r.Recorded)}, replayed {Lower(r.Replayed)}: {r.Detail}");
        stdout.WriteLine($"recheck --kernel ({route} for recorded unsat obligations): {rows.Count(r => r.Agreed)} agreed, {rows.Count(r => !r.Agreed)} disagreed, kernel {ProofKernel.Version}" +
                         (rows.Count == 0 ? $"; no *.kernel.json under {dir}: run 'dlp verify' first" : ""));
    }

    private static string Lower(Status s) => VerifyOutput.Lower(s);

    /// <summary>A recheck status in words.</summary>
    public static string Word(RecheckStatus s) => s switch
    {
        RecheckStatus.Agreed => "agreed",
        RecheckStatus.Disagreed => "DISAGREED",
        RecheckStatus.SecondRouteUnknown => "second route unknown",
        RecheckStatus.FirstRouteUnknown => "first route unknown",
        _ => "unavailable",
    };
}
