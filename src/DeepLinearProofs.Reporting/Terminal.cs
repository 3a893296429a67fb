using Spectre.Console;

namespace DeepLinearProofs.Cli;

/// <summary>Spectre consoles over a TextWriter: colour and live widths only on a terminal, plain wide text otherwise.</summary>
public static class Consoles
{
    public static IAnsiConsole For(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive) console.Profile.Width = 200;
        return console;
    }
}
