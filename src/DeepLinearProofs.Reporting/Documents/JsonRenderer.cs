namespace DeepLinearProofs.Reporting.Documents;

/// <summary>
/// JSON (the one snake_case convention of <see cref="JsonOutput"/>): the document's structure (sections, paragraphs as text,
/// tables with every cell, figures by file) and its <see cref="Document.Data"/>, the machine-readable model it was made from.
/// </summary>
public static class JsonRenderer
{
    public static string Render(Document doc) => JsonOutput.Serialize(new
    {
        id = doc.Id,
        title = doc.Title,
        blocks = doc.Blocks.Select(Block).ToList(),
        data = doc.Data,
    });

    private static object Block(Block b) => b switch
    {
        Section s => new { type = "section", id = s.Id, title = R.Plain(s.Title), blocks = s.Blocks.Select(Block).ToList() },
        Paragraph p => new { type = "paragraph", text = R.Plain(p.Text) },
        Quote q => new { type = "quote", text = R.Plain(q.Text), source = q.Source },
        DisplayMath m => new { type = "formula", tex = m.Tex },
        ItemList l => new { type = "list", items = l.Items.Select(R.Plain).ToList() },
        Table t => new
        {
            type = "table", id = t.Id, caption = R.Plain(t.Caption), header = t.Header,
            rows = t.Rows.Select(row => row.Select(R.Plain).ToList()).ToList(),
            statuses = t.Rows.Select(row => row.SelectMany(c => c.OfType<StatusRun>()).Select(s => s.Status).ToList()).ToList(),
        },
        Figure f => new { type = "figure", id = f.Id, file = f.File, alt = f.Alt, caption = R.Plain(f.Caption) },
        _ => throw new ArgumentException($"no JSON for {b.GetType().Name}"),
    };
}
