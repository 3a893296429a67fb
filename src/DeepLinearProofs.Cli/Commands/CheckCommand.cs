using System.CommandLine;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;
using Status = DeepLinearProofs.Kernel.Status;

namespace DeepLinearProofs.Cli.Commands;

/// <summary>
/// <c>dlp check LEMMA --drop NAME --assume EXPR --widths W --target T</c> and <c>dlp check --all --drop gap [PATH]</c>:
/// re-runs lemmas under modified assumptions beside the original verdict.
/// </summary>
public static class CheckCommand
{
    public static Command Create(TextWriter stdout, Terminal terminal, TextWriter? stderr = null)
    {
        var paths = new Argument<string[]>("lemma") { Arity = ArgumentArity.ZeroOrMore, Description = "lemma file(s); with --all, folders (default: the library)" };
        var all = new Option<bool>("--all") { Description = "run the modification across the library and list which lemmas depend on it" };
        var drop = new Option<string[]>("--drop") { Description = "hypothesis name to remove; built-in: gap (s_2 := s_1), one-neuron (widths 1 -> 2)", AllowMultipleArgumentsPerToken = false };
        var assume = new Option<string[]>("--assume") { Description = "extra hypothesis (forall lemmas), e.g. \"c == -9/2\"" };
        var widths = new Option<string?>("--widths") { Description = "check on these widths instead" };
        var target = new Option<string?>("--target") { Description = "check with this target instead" };
        var verbose = new Option<bool>("--verbose") { Description = "print the modified verdicts' details in full (default: cut to the terminal width)" };
        var command = new Command("check", "re-run lemmas with a hypothesis added, removed or replaced, or on another network") { paths, all, drop, assume, widths, target, verbose };
        command.SetAction(parse =>
        {
            var m = new Modification(parse.GetValue(drop) ?? [], parse.GetValue(assume) ?? [],
                parse.GetValue(widths) is { } w ? SimulateOptions.ParseWidths(w) : null,
                parse.GetValue(target) is { } t ? SimulateOptions.ParseTarget(t) : null);
            if (m.IsEmpty) throw new UsageException("say what to change: --drop NAME, --assume EXPR, --widths or --target");
            if (m.Widths is { } newWidths) Networks.FlowDerivation.RequireSymbolsFit(newWidths, "check"); // refused at once, not after minutes of building
            var given = parse.GetValue(paths) ?? [];
            var options = CheckOptions.Default();
            if (!parse.GetValue(all))
            {
                if (given.Length != 1) throw new UsageException("give one lemma file, or --all");
                if (Directory.Exists(given[0]))
                    throw new NetworkInputException($"{given[0]} is a folder: add --all to check every lemma in it, or name one .toml file");
                if (!File.Exists(given[0]))
                    throw new NetworkInputException($"{given[0]}: no such lemma file; give the path of a .toml lemma file (or a folder with --all)");
                var lemma1 = LemmaLoader.Load(given[0]);
                // Larger networks can take minutes (each SMT obligation runs to its rlimit or wall cap): say so before starting.
                if (m.Widths is { } w1 && w1.Widths.Sum() > 9)
                    (stderr ?? TextWriter.Null).WriteLine($"check: {lemma1.Id} on widths {w1}; exact and SMT checks grow quickly with the widths, each SMT obligation stops at its rlimit or wall-clock cap (Ctrl-C to stop)");
                var result = AssumptionCheck.Run(lemma1, m, options);
                CheckOutput.PrintOne(result, stdout, terminal, parse.GetValue(verbose));
                // The check succeeds when both runs reach definite verdicts; whether the result survives is the finding, not an error.
                return result.Original.Concat(result.Modified).Any(r => r.Outcome.Status is Status.Unknown or Status.Error) ? ExitCodes.InconclusiveOrBadInput : ExitCodes.Ok;
            }
            var (files, discoveryErrors) = LemmaLibrary.Discover(given.Length > 0 ? given : [VerifyCommand.DefaultLibrary()]);
            var errors = discoveryErrors.ToList();
            var table = new CheckOutput.DependencyTable(m);
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
                    table.Add(lemma, r);
                }
                catch (LemmaFileException e)
                {
                    table.AddError(lemma, e.Message);
                }
            }
            table.Write(stdout, terminal);
            foreach (var e in errors) stdout.WriteLine($"error: {e}");
            return exit;
        });
        return command;
    }
}
