using System.CommandLine;
using System.Text.Json;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;

namespace DeepLinearProofs.Cli.Commands;

/// <summary>
/// <c>dlp status [PATH...] [--format text|json|html] [--out FILE] [--from VERIFY_JSON] [--files]</c>: the ledger keyed to the
/// theory items T0-T15, E1-E6, from a fresh check of the library or from a saved <c>dlp verify --json</c> report.
/// </summary>
public static class StatusCommand
{
    public static Command Create(TextWriter stdout, Terminal terminal, CancellationToken cancel = default)
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.ZeroOrMore, Description = "lemma files or folders to check (default: the built-in proofs/ library)" };
        var format = new Option<string>("--format") { Description = "text | json | html (html is written to --out)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "html");
        var output = new Option<string?>("--out") { Description = "write the ledger to this file (default for html: out/status.html; text and json print to the terminal)" };
        var from = new Option<string?>("--from") { Description = "read the verdicts from a saved 'dlp verify --json' report instead of checking the library now" };
        var files = new Option<bool>("--files") { Description = "text: list each item's lemma files with their verdicts" };
        var command = new Command("status", "the ledger of the theory items T0-T15 and E1-E6: proved for all sizes, proved at instances, numerical evidence only, or absent")
            { paths, format, output, from, files };
        command.SetAction(parse =>
        {
            var kind = parse.GetValue(format)!;
            var file = parse.GetValue(output) ?? (kind == "html" ? Path.Combine("out", "status.html") : null);
            if (file is not null) OutputFolder.RequireWritableFile(file, "--out"); // before the checks, so nothing computed is lost
            var given = parse.GetValue(paths) ?? [];
            TheoryLedger ledger;
            if (parse.GetValue(from) is { } saved)
            {
                if (given.Length > 0) throw new UsageException("--from reads the verdicts of a saved report: leave out the lemma paths, or leave out --from to check them now");
                ledger = FromVerifyJson(saved);
            }
            else
            {
                var targets = given.Length > 0 ? given : [VerifyCommand.DefaultLibrary()];
                var report = terminal.WithProgress("checking lemmas", tick => LemmaLibrary.Verify(targets, (_, done, total) => tick(done, total), cancel));
                ledger = Relative(TheoryLedger.Of(report, $"a check of {string.Join(", ", targets.Select(Shown))} just now"));
            }
            string text;
            using (var w = new StringWriter())
            {
                switch (kind)
                {
                    case "json": w.WriteLine(StatusOutput.Json(ledger)); break;
                    case "html": w.Write(StatusOutput.Html(ledger)); break;
                    default: StatusOutput.Text(ledger, w, parse.GetValue(files)); break;
                }
                text = w.ToString();
            }
            if (file is null) stdout.Write(text);
            else
            {
                if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir) Directory.CreateDirectory(dir);
                File.WriteAllText(file, text);
                stdout.WriteLine($"status: {ledger.Entries.Count} items written to {file}");
            }
            return ledger.Errors.Count > 0 || ledger.Entries.Any(e => e.Status == LedgerStatus.Failing) ? ExitCodes.InconclusiveOrBadInput : ExitCodes.Ok;
        });
        return command;
    }

    private static string Shown(string path)
    {
        var rel = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel;
    }

    private static TheoryLedger Relative(TheoryLedger l) => l with
    {
        Entries = l.Entries.Select(e => e with { Rows = e.Rows.Select(r => r with { Path = Shown(r.Path) }).ToList() }).ToList(),
        Uncited = l.Uncited.Select(r => r with { Path = Shown(r.Path) }).ToList(),
    };

    /// <summary>The rows of a saved <c>dlp verify --json</c> report; anything else is a one-line error naming the file.</summary>
    private static TheoryLedger FromVerifyJson(string path)
    {
        if (!File.Exists(path)) throw new NetworkInputException($"--from {path}: no such file; give the file 'dlp verify --json > FILE' wrote");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var rows = doc.RootElement.GetProperty("results").EnumerateArray().Select(r => (new LedgerRow(
                r.GetProperty("lemma").GetString()!, r.GetProperty("path").GetString()!, r.GetProperty("network").GetString()!,
                r.GetProperty("method").GetString()!, r.GetProperty("expected").GetString()!, r.GetProperty("status").GetString()!,
                r.GetProperty("as_expected").GetBoolean(), r.GetProperty("basis").GetString()!, r.GetProperty("detail").GetString() ?? ""),
                r.GetProperty("theory").GetString() ?? "")).ToList();
            var errors = doc.RootElement.TryGetProperty("errors", out var e) ? e.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
            return Relative(TheoryLedger.Build(rows, errors, $"the saved verify report {path}"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new NetworkInputException($"--from {path}: not a 'dlp verify --json' report ({e.Message.Split('\n')[0]}); write one with 'dlp verify --json > {path}'");
        }
    }
}
