using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>A fact skipped, with the reason, when no headless Chromium is on the PATH.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public static string? Path => new[] { "chromium", "chromium-browser", "google-chrome" }
        .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => System.IO.Path.Combine(d, name))).FirstOrDefault(File.Exists);

    public ChromiumFactAttribute()
    {
        if (Path is null) Skip = "chromium is not installed (apt-get install -y chromium); the HTML report is checked for its structure only";
    }
}

/// <summary>
/// The examples report in a real browser (headless Chromium, opt-in: Category Browser): after load the page's own script
/// records whether every image decoded and whether anything overflows horizontally; a screenshot is taken as well.
/// </summary>
[Trait("Category", "Browser")]
public class ExamplesBrowserTests
{
    private static (int Code, string Out) Chromium(string args, int seconds = 90)
    {
        var p = Process.Start(new ProcessStartInfo(ChromiumFactAttribute.Path!, $"--headless --no-sandbox --disable-gpu --no-first-run --disable-extensions {args}")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(seconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"chromium did not finish in {seconds} s");
        }
        return (p.ExitCode, output.Result);
    }

    [ChromiumFact]
    public void Every_figure_loads_nothing_overflows_and_the_page_renders()
    {
        var dir = Directory.CreateTempSubdirectory("dlp-examples-browser-").FullName;
        var (code, _, err) = DlpRunner.Run("examples", "E2", "E4", "--out", dir, "--format", "html");
        Assert.True(code == 0, err);
        var page = new Uri(Path.Combine(dir, "examples.html")).AbsoluteUri;

        var (exit, dom) = Chromium($"--window-size=1280,900 --virtual-time-budget=5000 --dump-dom {page}");
        Assert.True(exit == 0, $"chromium exit {exit}");
        var check = Regex.Match(dom, "<div id=\"layout-check\"[^>]*>");
        Assert.True(check.Success, "no #layout-check in the dumped DOM");
        string Attr(string name) => Regex.Match(check.Value, $"{name}=\"([^\"]*)\"").Groups[1].Value;
        Assert.Equal("yes", Attr("data-checked"));
        Assert.True(int.Parse(Attr("data-images")) >= 2, check.Value);
        Assert.Equal("0", Attr("data-images-broken"));
        Assert.Equal("", Attr("data-overflow"));

        var shot = Path.Combine(dir, "screenshot.png");
        var (shotExit, _) = Chromium($"--window-size=1280,2400 --virtual-time-budget=5000 --screenshot={shot} {page}");
        Assert.True(shotExit == 0, $"chromium exit {shotExit}");
        var png = File.ReadAllBytes(shot);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.True(png.Length > 50_000, $"screenshot only {png.Length} bytes: a blank page?");
    }
}
