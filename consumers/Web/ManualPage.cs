using System.Text;

namespace EdgePartition.Consumers.Web;

/// <summary>docs/manual.md as embedded at build time, and its HTML rendering inside a plain page.</summary>
public sealed class ManualPage
{
    public ManualPage(string markdown)
    {
        Markdown = Encoding.UTF8.GetBytes(markdown);
        MarkdownETag = EmbeddedAssets.ETagOf(Markdown);
        Html = Encoding.UTF8.GetBytes(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" +
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            "<title>EdgePartition operator's manual</title><link rel=\"stylesheet\" href=\"/manual.css\"></head>\n" +
            "<body><nav><a href=\"/\">&larr; dashboard</a> · <a href=\"/manual.md\">Markdown source</a></nav>\n<main>\n" +
            MarkdownRenderer.ToHtml(markdown) + "</main></body></html>\n");
        HtmlETag = EmbeddedAssets.ETagOf(Html);
    }

    public static ManualPage LoadEmbedded() => new(EmbeddedAssets.ReadText("manual.md"));

    public byte[] Markdown { get; }

    public string MarkdownETag { get; }

    public byte[] Html { get; }

    public string HtmlETag { get; }
}
