using System.Net;
using System.Text;

namespace DeepLinearProofs.Reporting.Documents;

/// <summary>
/// One self-contained HTML file: styles inline, figures as PNG data URIs, formulas as MathML (no script, font or stylesheet
/// is fetched). A small inline script records after load whether every image decoded and whether anything overflows
/// horizontally, in the attributes of <c>#layout-check</c> (read by the headless-browser test).
/// </summary>
public static class HtmlRenderer
{
    private const string Style = """
        body { font-family: Georgia, 'DejaVu Serif', serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; color: #1a1a1a; }
        h1, h2, h3, h4 { font-family: 'DejaVu Sans', Arial, sans-serif; line-height: 1.2; }
        table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0.5rem 0 1rem; font-size: 0.88rem; }
        th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
        th { background: #f0f0f0; }
        caption { caption-side: bottom; text-align: left; font-size: 0.85rem; padding-top: 0.3rem; color: #333; }
        code, .path { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.85em; overflow-wrap: anywhere; }
        .path { color: #24507a; }
        figure { margin: 1rem 0; max-width: 100%; }
        figure img { max-width: 100%; height: auto; display: block; }
        figcaption { font-size: 0.88rem; color: #333; }
        blockquote { margin: 0.5rem 0; padding: 0.3rem 1rem; border-left: 4px solid #aaa; background: #fafafa; }
        blockquote footer { font-size: 0.8rem; color: #555; }
        .status { font-weight: bold; font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 0.85em;  }
        .status-proved { color: #116611; } .status-supported, .status-contradicted { color: #7a5a00; }
        .status-unknown, .status-error, .status-refuted, .status-vacuous { color: #a01010; }
        math[display="block"] { margin: 0.5rem 0; max-width: 100%; }
        td math { display: inline-block; max-width: 100%; overflow-x: auto; overflow-y: hidden; vertical-align: middle; font-size: 0.9em; }
        """;

    private const string Check = """
        window.addEventListener('load', function () {
          var imgs = Array.prototype.slice.call(document.images);
          var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).length;
          var over = [];
          if (document.body.scrollWidth > document.body.clientWidth) over.push('body');
          document.querySelectorAll('figure, table, td, th').forEach(function (e) {
            if (e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > document.body.getBoundingClientRect().right + 1) over.push(e.id || e.tagName.toLowerCase());
          });
          var c = document.getElementById('layout-check');
          c.setAttribute('data-images', String(imgs.length));
          c.setAttribute('data-images-broken', String(broken));
          c.setAttribute('data-overflow', over.join(' '));
          c.setAttribute('data-checked', 'yes');
        });
        """;

    public static string Render(Document doc)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append($"<title>{E(doc.Title)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n");
        sb.Append($"<h1 id=\"{E(doc.Id)}\">{E(doc.Title)}</h1>\n");
        foreach (var b in doc.Blocks) BlockHtml(sb, b, 2);
        sb.Append("<div id=\"layout-check\" hidden data-checked=\"no\"></div>\n");
        sb.Append($"<script>\n{Check}\n</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static void BlockHtml(StringBuilder sb, Block b, int level)
    {
        switch (b)
        {
            case Section s:
                var h = Math.Min(level, 6);
                sb.Append($"<section id=\"{E(s.Id)}\">\n<h{h}>{Runs(s.Title)}</h{h}>\n");
                foreach (var inner in s.Blocks) BlockHtml(sb, inner, level + 1);
                sb.Append("</section>\n");
                break;
            case Paragraph p:
                sb.Append($"<p>{Runs(p.Text)}</p>\n");
                break;
            case Quote q:
                sb.Append($"<blockquote><p>{Runs(q.Text)}</p><footer>{E(q.Source)}</footer></blockquote>\n");
                break;
            case DisplayMath m:
                sb.Append(TexMath.ToMathMl(m.Tex, display: true)).Append('\n');
                break;
            case ItemList l:
                sb.Append("<ul>\n");
                foreach (var item in l.Items) sb.Append($"<li>{Runs(item)}</li>\n");
                sb.Append("</ul>\n");
                break;
            case Table t:
                sb.Append($"<table id=\"{E(t.Id)}\">\n<caption>{Runs(t.Caption)}</caption>\n");
                if (t.Widths.Count == t.Header.Count)
                    sb.Append("<colgroup>").Append(string.Concat(t.Widths.Select(w => $"<col style=\"width: {(100 * w / t.Widths.Sum()).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}%\">"))).Append("</colgroup>\n");
                sb.Append("<thead><tr>");
                foreach (var c in t.Header) sb.Append($"<th>{E(c)}</th>");
                sb.Append("</tr></thead>\n<tbody>\n");
                foreach (var row in t.Rows)
                {
                    sb.Append("<tr>");
                    foreach (var cell in row) sb.Append($"<td>{Runs(cell)}</td>");
                    sb.Append("</tr>\n");
                }
                sb.Append("</tbody>\n</table>\n");
                break;
            case Figure f:
                sb.Append($"<figure id=\"{E(f.Id)}\">\n<img src=\"data:image/png;base64,{Convert.ToBase64String(f.Png)}\" alt=\"{E(f.Alt)}\">\n<figcaption>{Runs(f.Caption)}</figcaption>\n</figure>\n");
                break;
            default:
                throw new ArgumentException($"no HTML for {b.GetType().Name}");
        }
    }

    private static string Runs(IEnumerable<Run> runs) => string.Concat(runs.Select(r => r switch
    {
        TextRun t => E(t.Text),
        CodeRun c => $"<code>{E(c.Text)}</code>",
        MathRun m => TexMath.ToMathMl(m.Tex),
        StrongRun s => $"<strong>{E(s.Text)}</strong>",
        StatusRun s => $"<span class=\"status status-{E(s.Status)}\">{E(s.Label)}</span>",
        PathRun p => $"<span class=\"path\">{E(p.Path)}</span>",
        _ => throw new ArgumentException($"no HTML for {r.GetType().Name}"),
    }));
}
