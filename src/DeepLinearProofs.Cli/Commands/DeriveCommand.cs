using System.CommandLine;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp derive --widths 3,2,1,2,3 [--target ...] [--format text|latex|json] [--entries]</c>.</summary>
public static class DeriveCommand
{
    public static Command Create(TextWriter stdout)
    {
        var widths = new Option<string>("--widths") { Description = "widths d_0,...,d_N, e.g. 3,2,1,2,3 (or --sizes all)" };
        var sizes = new Option<string>("--sizes") { Description = "all: every depth and all widths, in matrix notation, proved by the word calculus" };
        var target = new Option<string>("--target") { Description = "symbolic | diag(3,2,1) | [[1,0],[0,2]] | data(X=[[..]], Y=[[..]])", DefaultValueFactory = _ => "symbolic" };
        var format = new Option<string>("--format") { Description = "text | latex | json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "latex", "json");
        var entries = new Option<bool>("--entries") { Description = "print every entry of every dW_j/dt" };
        var standalone = new Option<bool>("--standalone") { Description = "with --format latex: a whole document (article, amsmath) that pdflatex compiles as it is" };
        // Hidden knob (tests, constrained machines): the memory budget derive estimates against before building anything.
        var budget = new Option<long>("--memory-budget-mb") { Description = "memory budget in MB", DefaultValueFactory = _ => FlowDerivation.DefaultBudgetBytes >> 20, Hidden = true };
        var command = new Command("derive", "derive the flow equations, conserved quantities and dL/dt, each checked exactly") { widths, sizes, target, format, entries, standalone, budget };
        command.SetAction(parse =>
        {
            if (parse.GetValue(standalone) && parse.GetValue(format) != "latex") throw new UsageException("--standalone makes a LaTeX document: add --format latex");
            if (parse.GetValue(sizes) is { } all)
            {
                if (all != "all") throw new UsageException($"--sizes takes one value, all (every depth and all widths), got '{all}'");
                if (parse.GetValue(widths) is not null) throw new UsageException("--sizes all is about every size: leave out --widths, or leave out --sizes to derive at those widths");
                if (parse.GetResult(target) is { Implicit: false } || parse.GetValue(entries))
                    throw new UsageException("--sizes all derives for a symbolic target Z and has no entries: leave out --target and --entries");
                var lines = AllSizesDerivation.Derive();
                switch (parse.GetValue(format))
                {
                    case "json": stdout.WriteLine(AllSizesDeriveOutput.Json(lines)); break;
                    case "latex": AllSizesDeriveOutput.Latex(lines, stdout, parse.GetValue(standalone)); break;
                    default: AllSizesDeriveOutput.Text(lines, stdout); break;
                }
                return lines.All(l => l.Verdict.Status == DeepLinearProofs.Kernel.Status.Proved) ? ExitCodes.Ok : ExitCodes.InconclusiveOrBadInput;
            }
            if (parse.GetValue(widths) is null) throw new UsageException("derive needs --widths d_0,...,d_N (e.g. --widths 3,2,1,2,3) or --sizes all");
            var arch = SimulateOptions.ParseWidths(parse.GetValue(widths)!);
            if (parse.GetValue(budget) is var mb and (< 1 or > 1L << 20)) throw new UsageException($"--memory-budget-mb takes 1..{1L << 20}, got {mb}");
            bool withEntries = parse.GetValue(entries);
            var derivation = FlowDerivation.Derive(arch, SimulateOptions.ParseTarget(parse.GetValue(target)!), withEntries, parse.GetValue(budget) << 20);
            switch (parse.GetValue(format))
            {
                case "json": stdout.WriteLine(DeriveOutput.Json(derivation)); break;
                case "latex": DeriveOutput.Latex(derivation, stdout, withEntries, parse.GetValue(standalone)); break;
                default: DeriveOutput.Text(derivation, stdout, withEntries); break;
            }
            // A check not run at this size leaves the derivation inconclusive (2), never "holds".
            return derivation.AnyFails ? ExitCodes.ExpectationFailed : derivation.AllHold ? ExitCodes.Ok : ExitCodes.InconclusiveOrBadInput;
        });
        return command;
    }
}
