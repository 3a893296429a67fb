using DeepLinearProofs.Cli;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>Runs dlp in process against in-memory writers: the console seam of the CLI tests.</summary>
internal static class DlpRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = DlpApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts dlp as a child process (the dlp.dll beside the test binary) with redirected output.</summary>
    public static System.Diagnostics.Process Start(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dlp.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return System.Diagnostics.Process.Start(start)!;
    }

    /// <summary>A path inside the copy of proofs/ shipped beside the test binary.</summary>
    public static string Library(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "proofs", .. parts]);
}
