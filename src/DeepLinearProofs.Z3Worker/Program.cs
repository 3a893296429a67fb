namespace DeepLinearProofs.Worker;

/// <summary>
/// One SMT-LIB2 check in its own process, so that the parent can kill it: reads a script from stdin up to
/// the line <c>; end-of-script</c>, runs it on libz3, writes the answer to stdout and exits.
/// </summary>
public static class Program
{
    /// <summary>The line that ends the script on stdin.</summary>
    public const string Terminator = "; end-of-script";

    /// <summary>Exit codes: 0 answered, 2 bad input, 3 parent gone (stdin closed while solving), 4 libz3 missing.</summary>
    public static int Main(string[] args)
    {
        if (args.Contains("--version"))
        {
            if (Z3Text.Unavailable is { } why) { Console.Out.WriteLine(why); return 4; }
            Console.Out.WriteLine(Z3Text.Version);
            return 0;
        }
        var script = ReadScript(Console.In);
        if (script is null)
        {
            Console.Error.WriteLine($"z3 worker: stdin ended before the line '{Terminator}'");
            return 2;
        }
        // The parent keeps stdin open while it waits; EOF means it died or gave up: stop at once.
        new Thread(WatchStdin) { IsBackground = true, Name = "stdin watch" }.Start();
        if (Z3Text.Unavailable is { } missing)
        {
            Console.Out.WriteLine($"unknown\n(:reason-unknown \"{missing}\")");
            return 4;
        }
        Console.Out.Write(Z3Text.Run(script));
        Console.Out.Flush();
        return 0;
    }

    private static string? ReadScript(TextReader input)
    {
        var text = new System.Text.StringBuilder();
        while (input.ReadLine() is { } line)
        {
            if (line.TrimEnd() == Terminator) return text.ToString();
            text.Append(line).Append('\n');
        }
        return null;
    }

    private static void WatchStdin()
    {
        var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        try
        {
            while (stdin.Read(buffer, 0, buffer.Length) > 0) { }
        }
        catch (IOException) { }
        Environment.Exit(3);
    }
}
