namespace DeepLinearProofs.Reporting.Documents;

/// <summary>Writes a <see cref="Document"/> as files named after its id: ID.html, ID.md, ID.tex with ID-standalone.tex, ID.json.</summary>
public static class DocumentFiles
{
    /// <summary>The formats, in the order they are written.</summary>
    public static readonly IReadOnlyList<string> Formats = ["html", "md", "latex", "json"];

    /// <summary>Writes the formats asked for; returns the files written. Figures are written beside (at their relative paths)
    /// unless only HTML, which embeds them, is asked for.</summary>
    public static IReadOnlyList<string> Write(Document doc, string outDir, IReadOnlyCollection<string> formats)
    {
        Directory.CreateDirectory(outDir);
        var written = new List<string>();
        void Put(string name, string text)
        {
            var path = Path.Combine(outDir, name);
            File.WriteAllText(path, text);
            written.Add(path);
        }
        if (formats.Any(f => f != "html"))
            foreach (var f in doc.AllBlocks().OfType<Figure>())
            {
                var path = Path.Combine(outDir, f.File);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, f.Png);
                written.Add(path);
            }
        if (formats.Contains("html")) Put($"{doc.Id}.html", HtmlRenderer.Render(doc));
        if (formats.Contains("md")) Put($"{doc.Id}.md", MarkdownRenderer.Render(doc));
        if (formats.Contains("latex"))
        {
            Put($"{doc.Id}.tex", LatexRenderer.Fragment(doc));
            Put($"{doc.Id}-standalone.tex", LatexRenderer.Standalone(doc, $"{doc.Id}.tex"));
        }
        if (formats.Contains("json")) Put($"{doc.Id}.json", JsonRenderer.Render(doc));
        return written;
    }
}
