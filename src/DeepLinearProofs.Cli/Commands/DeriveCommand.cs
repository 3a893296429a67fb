using System.CommandLine;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Reporting;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp derive --widths 3,2,1,2,3 [--target ...] [--format text|latex|json] [--entries]</c>.</summary>
public static class DeriveCommand
{
    public static Command Create(TextWriter stdout)
    {
        var widths = new Option<string>("--widths") { Description = "widths d_0,...,d_N, e.g. 3,2,1,2,3", Required = true };
        var target = new Option<string>("--target") { Description = "symbolic | diag(3,2,1) | [[1,0],[0,2]] | data(X=[[..]], Y=[[..]])", DefaultValueFactory = _ => "symbolic" };
        var format = new Option<string>("--format") { Description = "text | latex | json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "latex", "json");
        var entries = new Option<bool>("--entries") { Description = "print every entry of every dW_j/dt" };
        var command = new Command("derive", "derive the flow equations, conserved quantities and dL/dt, each checked exactly") { widths, target, format, entries };
        command.SetAction(parse =>
        {
            var arch = Architecture.Parse(parse.GetValue(widths)!);
            var derivation = FlowDerivation.Derive(arch, Target.Parse(parse.GetValue(target)!));
            switch (parse.GetValue(format))
            {
                case "json": stdout.WriteLine(DeriveOutput.Json(derivation)); break;
                case "latex": DeriveOutput.Latex(derivation, stdout, parse.GetValue(entries)); break;
                default: DeriveOutput.Text(derivation, stdout, parse.GetValue(entries)); break;
            }
            bool allHold = derivation.Flows.All(f => f.EqualsClosedForm) && derivation.Conserved.All(c => c.LieDerivativeIsZero)
                           && derivation.LossRateEqualsClosedForm && derivation.MinorsVanish != false;
            return allHold ? ExitCodes.Ok : ExitCodes.ExpectationFailed;
        });
        return command;
    }
}
