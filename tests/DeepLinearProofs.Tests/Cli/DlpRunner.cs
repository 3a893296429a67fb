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

    /// <summary>A path inside the copy of proofs/ shipped beside the test binary.</summary>
    public static string Library(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "proofs", .. parts]);
}
