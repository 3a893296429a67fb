using System.Globalization;
using Spectre.Console;

namespace DeepLinearProofs.Reporting;

/// <summary>
/// Where output goes and how wide it may be. On a terminal: its current width (<see cref="Console.WindowWidth"/>), colour
/// and live progress. Piped or redirected: the <c>COLUMNS</c> environment variable when it is set, else
/// <see cref="PipedWidth"/> columns, no colour. Tables fit the width (identifiers are never wrapped; other cells are),
/// and detail lines are cut to it with "…" unless the command runs with <c>--verbose</c>.
/// </summary>
public sealed class Terminal
{
    /// <summary>The width of piped output when COLUMNS is not set.</summary>
    public const int PipedWidth = 100;

    /// <summary>Narrower than this, tables cannot hold their identifiers; widths below are raised to it.</summary>
    public const int MinimumWidth = 40;

    public Terminal(int width, bool interactive)
    {
        Width = Math.Max(MinimumWidth, width);
        Interactive = interactive;
    }

    public int Width { get; }
    public bool Interactive { get; }

    /// <summary>The terminal dlp runs on: interactive when stdout is a terminal.</summary>
    public static Terminal Detect(bool interactive, string? columns = null)
    {
        columns ??= Environment.GetEnvironmentVariable("COLUMNS");
        int? fromEnv = int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0 ? c : null;
        if (!interactive) return new Terminal(fromEnv ?? PipedWidth, false);
        int width;
        try { width = System.Console.WindowWidth; }
        catch (IOException) { width = 0; }
        catch (PlatformNotSupportedException) { width = 0; }
        return new Terminal(width > 0 ? width : fromEnv ?? 80, true);
    }

    /// <summary>A Spectre console over <paramref name="writer"/>: colour only on a terminal, always this width.</summary>
    public IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        console.Profile.Width = Width;
        return console;
    }

    /// <summary>One line cut to the width with "…" (unchanged when it fits).</summary>
    public string Fit(string line) => Fit(line, Width);

    /// <summary>One line cut to <paramref name="width"/> characters with "…" (unchanged when it fits).</summary>
    public static string Fit(string line, int width) => line.Length <= width ? line : line[..(width - 1)].TrimEnd() + "…";

    /// <summary>Writes <paramref name="line"/> whole when <paramref name="verbose"/>, else cut to the width.</summary>
    public void Detail(TextWriter o, string line, bool verbose) => o.WriteLine(verbose ? line : Fit(line));

    /// <summary>
    /// Joins <paramref name="segments"/> with spaces into lines of at most the width (continuations indented by two);
    /// a segment is never split unless it is wider than a line on its own, and then only between words.
    /// </summary>
    public void Wrapped(TextWriter o, IEnumerable<string> segments)
    {
        foreach (var line in Wrap(segments, Width)) o.WriteLine(line);
    }

    public static IReadOnlyList<string> Wrap(IEnumerable<string> segments, int width)
    {
        const string indent = "  ";
        var lines = new List<string>();
        var current = "";
        void Add(string piece)
        {
            if (current.Length == 0) current = (lines.Count == 0 ? "" : indent) + piece;
            else if (current.Length + 1 + piece.Length <= width) current += " " + piece;
            else { lines.Add(current); current = indent + piece; }
        }
        foreach (var segment in segments)
        {
            var pending = current.Length == 0 ? (lines.Count == 0 ? 0 : indent.Length) + segment.Length : current.Length + 1 + segment.Length;
            if (pending <= width || segment.Length + indent.Length <= width) Add(segment);
            else foreach (var word in segment.Split(' ', StringSplitOptions.RemoveEmptyEntries)) Add(word);
        }
        if (current.Length > 0) lines.Add(current);
        return lines;
    }

    /// <summary>Runs <paramref name="work"/> under a progress bar on a terminal, plainly otherwise; the callback takes (done, total).</summary>
    public T WithProgress<T>(string label, Func<Action<int, int>, T> work)
    {
        if (!Interactive) return work((_, _) => { });
        T result = default!;
        AnsiConsole.Progress().Start(ctx =>
        {
            var task = ctx.AddTask(label);
            result = work((done, total) =>
            {
                task.MaxValue = total;
                task.Value = done;
            });
        });
        return result;
    }
}
