using System.CommandLine;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using Spectre.Console;
using Status = DeepLinearProofs.Kernel.Status;

namespace DeepLinearProofs.Cli.Commands;

/// <summary>
/// <c>dlp check LEMMA --drop NAME --assume EXPR --widths W --target T</c> and <c>dlp check --all --drop gap [PATH]</c>:
/// re-runs lemmas under modified assumptions beside the original verdict.
/// </summary>
public static class CheckCommand
{
    public static Command Create(TextWriter stdout)
    {
        var paths = new Argument<string[]>("lemma") { Arity = ArgumentArity.ZeroOrMore, Description = "lemma file(s); with --all, folders (default: the library)" };
        var all = new Option<bool>("--all") { Description = "run the modification across the library and list which lemmas depend on it" };
        var drop = new Option<string[]>("--drop") { Description = "hypothesis name to remove; built-in: gap (s_2 := s_1), one-neuron (widths 1 -> 2)", AllowMultipleArgumentsPerToken = false };
        var assume = new Option<string[]>("--assume") { Description = "extra hypothesis (forall lemmas), e.g. \"c == -9/2\"" };
        var widths = new Option<string?>("--widths") { Description = "check on these widths instead" };
        var target = new Option<string?>("--target") { Description = "check with this target instead" };
        var command = new Command("check", "re-run lemmas with a hypothesis added, removed or replaced, or on another network") { paths, all, drop, assume, widths, target };
        command.SetAction(parse =>
        {
            var m = new Modification(parse.GetValue(drop) ?? [], parse.GetValue(assume) ?? [],
                parse.GetValue(widths) is { } w ? Architecture.Parse(w) : null,
                parse.GetValue(target) is { } t ? Target.Parse(t) : null);
            if (m.IsEmpty) throw new UsageException("say what to change: --drop NAME, --assume EXPR, --widths or --target");
            var given = parse.GetValue(paths) ?? [];
            var options = CheckOptions.Default();
            if (!parse.GetValue(all))
            {
                if (given.Length != 1) throw new UsageException("give one lemma file, or --all");
                if (Directory.Exists(given[0]))
                    throw new NetworkInputException($"{given[0]} is a folder: add --all to check every lemma in it, or name one .toml file");
                if (!File.Exists(given[0]))
                    throw new NetworkInputException($"{given[0]}: no such lemma file; give the path of a .toml lemma file (or a folder with --all)");
                var result = AssumptionCheck.Run(LemmaLoader.Load(given[0]), m, options);
                PrintOne(result, stdout);
                // The check succeeds when both runs reach definite verdicts; whether the result survives is the finding, not an error.
                return result.Original.Concat(result.Modified).Any(r => r.Outcome.Status is Status.Unknown or Status.Error) ? ExitCodes.InconclusiveOrBadInput : ExitCodes.Ok;
            }
            var (files, discoveryErrors) = LemmaLibrary.Discover(given.Length > 0 ? given : [VerifyCommand.DefaultLibrary()]);
            var errors = discoveryErrors.ToList();
            var console = Consoles.For(stdout, false);
            var table = new Table().AddColumns("lemma", "change", "original", "modified", $"depends on {string.Join(", ", m.Drop.Concat(m.Assume))}");
            int exit = errors.Count > 0 ? ExitCodes.InconclusiveOrBadInput : ExitCodes.Ok;
            foreach (var file in files)
            {
                Lemma lemma;
                try { lemma = LemmaLoader.Load(file); }
                catch (LemmaFileException e) { errors.Add(e.OneLine); exit = ExitCodes.InconclusiveOrBadInput; continue; }
                if (AssumptionCheck.Apply(lemma, m) is null) continue;
                try
                {
                    var r = AssumptionCheck.Run(lemma, m, options);
                    table.AddRow(Markup.Escape(lemma.Id), Markup.Escape(string.Join("; ", r.Changes)), Summary(r.Original), Summary(r.Modified),
                        r.Breaks ? "[red]yes[/]" : r.Survives ? "no" : r.SurvivesOnlyVacuously ? "survives only vacuously" : r.DroppedStart ? "undetermined (start dropped)" : "undetermined");
                }
                catch (LemmaFileException e)
                {
                    table.AddRow(Markup.Escape(lemma.Id), "", "", Markup.Escape(e.Message), "error");
                }
            }
            console.Write(table);
            foreach (var e in errors) stdout.WriteLine($"error: {e}");
            return exit;
        });
        return command;
    }

    private static string Summary(IReadOnlyList<LemmaResult> results) =>
        string.Join(", ", results.GroupBy(r => r.Outcome.Status).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));

    private static void PrintOne(AssumptionResult r, TextWriter o)
    {
        o.WriteLine($"lemma {r.Lemma.Id} ({r.Lemma.Theory}): {r.Lemma.Statement}");
        foreach (var c in r.Changes) o.WriteLine($"  change: {c}");
        o.WriteLine("original:");
        foreach (var x in r.Original) o.WriteLine($"  [{x.Network}] {x.Outcome.Status.ToString().ToLowerInvariant()} ({x.Outcome.Basis}){(x.AsExpected ? "" : " - not as expected")}");
        o.WriteLine("modified:");
        foreach (var x in r.Modified) o.WriteLine($"  [{x.Network}] {x.Outcome.Status.ToString().ToLowerInvariant()} ({x.Outcome.Basis}): {x.Outcome.Detail}");
        o.WriteLine(r.Breaks ? "verdict: the result does NOT survive the change"
            : r.Survives ? "verdict: the result survives the change"
            : r.SurvivesOnlyVacuously ? "verdict: the result survives only vacuously (after the change nothing is left to check, e.g. the hypotheses cannot hold)"
            : r.DroppedStart && r.Modified.All(x => x.AsExpected) ? "verdict: undetermined: what was checked holds, but the exact start was dropped (it does not fit the new widths)"
            : "verdict: undetermined (some verdicts are unknown)");
    }
}
