using System.Net;
using System.Text;

namespace EdgePartition.Consumers.Web;

/// <summary>
/// Renders the subset of Markdown the operator's manual uses to HTML: ATX headings (with ids for links), paragraphs,
/// bullet and numbered lists, fenced code blocks, pipe tables, block quotes, horizontal rules, and inline
/// <c>`code`</c>, <c>**bold**</c>, <c>*italic*</c> and <c>[text](url)</c>. Every piece of text is HTML-encoded;
/// link targets other than relative paths, anchors and http(s) are dropped, so the page cannot carry script.
/// </summary>
public static class MarkdownRenderer
{
    public static string ToHtml(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var html = new StringBuilder(markdown.Length * 2);
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0)
            {
                i++;
            }
            else if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                i = CodeBlock(lines, i, html);
            }
            else if (trimmed.StartsWith('#'))
            {
                Heading(trimmed, html);
                i++;
            }
            else if (trimmed is "---" or "***" or "___")
            {
                html.Append("<hr>\n");
                i++;
            }
            else if (trimmed.StartsWith('|'))
            {
                i = Table(lines, i, html);
            }
            else if (trimmed.StartsWith('>'))
            {
                i = Quote(lines, i, html);
            }
            else if (ListMarker(trimmed, out var ordered) > 0)
            {
                i = List(lines, i, ordered, html);
            }
            else
            {
                i = Paragraph(lines, i, html);
            }
        }

        return html.ToString();
    }

    private static int CodeBlock(string[] lines, int i, StringBuilder html)
    {
        var language = lines[i].TrimStart()[3..].Trim();
        html.Append(language.Length > 0 ? $"<pre><code class=\"language-{WebUtility.HtmlEncode(language)}\">" : "<pre><code>");
        i++;
        while (i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
        {
            html.Append(WebUtility.HtmlEncode(lines[i])).Append('\n');
            i++;
        }

        html.Append("</code></pre>\n");
        return i + 1;
    }

    private static void Heading(string line, StringBuilder html)
    {
        var level = 0;
        while (level < line.Length && line[level] == '#')
        {
            level++;
        }

        level = Math.Min(level, 6);
        var text = line[level..].Trim();
        html.Append($"<h{level} id=\"{Slug(text)}\">");
        Inline(text, html);
        html.Append($"</h{level}>\n");
    }

    private static int Table(string[] lines, int i, StringBuilder html)
    {
        html.Append("<table>\n");
        var header = true;
        while (i < lines.Length && lines[i].TrimStart().StartsWith('|'))
        {
            var cells = Cells(lines[i]);
            var isSeparator = Array.TrueForAll(cells, c => c.Length > 0 && c.Trim(':', '-', ' ').Length == 0);
            if (!isSeparator)
            {
                var tag = header ? "th" : "td";
                html.Append("<tr>");
                foreach (var cell in cells)
                {
                    html.Append('<').Append(tag).Append('>');
                    Inline(cell, html);
                    html.Append("</").Append(tag).Append('>');
                }

                html.Append("</tr>\n");
            }

            header = false;
            i++;
        }

        html.Append("</table>\n");
        return i;
    }

    private static string[] Cells(string row)
    {
        var text = row.Trim();
        text = text.Trim('|');
        var cells = text.Split('|');
        for (var c = 0; c < cells.Length; c++)
        {
            cells[c] = cells[c].Trim();
        }

        return cells;
    }

    private static int Quote(string[] lines, int i, StringBuilder html)
    {
        var inner = new StringBuilder();
        while (i < lines.Length && lines[i].TrimStart().StartsWith('>'))
        {
            inner.Append(lines[i].TrimStart()[1..].TrimStart()).Append('\n');
            i++;
        }

        html.Append("<blockquote>\n").Append(ToHtml(inner.ToString())).Append("</blockquote>\n");
        return i;
    }

    private static int List(string[] lines, int i, bool ordered, StringBuilder html)
    {
        html.Append(ordered ? "<ol>\n" : "<ul>\n");
        while (i < lines.Length)
        {
            var trimmed = lines[i].TrimStart();
            var marker = ListMarker(trimmed, out var itemOrdered);
            if (marker == 0 || itemOrdered != ordered)
            {
                break;
            }

            // An item runs on over indented continuation lines.
            var item = new StringBuilder(trimmed[marker..].Trim());
            i++;
            while (i < lines.Length && lines[i].Length > 0 && char.IsWhiteSpace(lines[i][0]) && ListMarker(lines[i].TrimStart(), out _) == 0)
            {
                item.Append(' ').Append(lines[i].Trim());
                i++;
            }

            html.Append("<li>");
            Inline(item.ToString(), html);
            html.Append("</li>\n");
        }

        html.Append(ordered ? "</ol>\n" : "</ul>\n");
        return i;
    }

    /// <summary>Length of a list marker ("- ", "* ", "12. ") at the start of the line, 0 if there is none.</summary>
    private static int ListMarker(string line, out bool ordered)
    {
        ordered = false;
        if (line.Length >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ')
        {
            return 2;
        }

        var digits = 0;
        while (digits < line.Length && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        if (digits > 0 && digits + 1 < line.Length && line[digits] == '.' && line[digits + 1] == ' ')
        {
            ordered = true;
            return digits + 2;
        }

        return 0;
    }

    private static int Paragraph(string[] lines, int i, StringBuilder html)
    {
        var text = new StringBuilder();
        while (i < lines.Length)
        {
            var trimmed = lines[i].TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed.StartsWith("```", StringComparison.Ordinal) ||
                trimmed.StartsWith('|') || trimmed.StartsWith('>') || ListMarker(trimmed, out _) > 0)
            {
                break;
            }

            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(trimmed.TrimEnd());
            i++;
        }

        html.Append("<p>");
        Inline(text.ToString(), html);
        html.Append("</p>\n");
        return i;
    }

    private static void Inline(string text, StringBuilder html)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '`' && TryDelimited(text, i, "`", out var code, out var next))
            {
                html.Append("<code>").Append(WebUtility.HtmlEncode(code)).Append("</code>");
                i = next;
            }
            else if (c == '*' && i + 1 < text.Length && text[i + 1] == '*' && TryDelimited(text, i, "**", out var strong, out next))
            {
                html.Append("<strong>");
                Inline(strong, html);
                html.Append("</strong>");
                i = next;
            }
            else if ((c == '*' || c == '_') && IsWordStart(text, i) && TryDelimited(text, i, c.ToString(), out var emphasis, out next))
            {
                html.Append("<em>");
                Inline(emphasis, html);
                html.Append("</em>");
                i = next;
            }
            else if (c == '[' && TryLink(text, i, out var label, out var target, out next))
            {
                if (SafeTarget(target))
                {
                    html.Append("<a href=\"").Append(WebUtility.HtmlEncode(target)).Append("\">");
                    Inline(label, html);
                    html.Append("</a>");
                }
                else
                {
                    Inline(label, html);
                }

                i = next;
            }
            else
            {
                html.Append(WebUtility.HtmlEncode(c.ToString()));
                i++;
            }
        }
    }

    private static bool IsWordStart(string text, int i) =>
        i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && (i == 0 || !char.IsLetterOrDigit(text[i - 1]));

    private static bool TryDelimited(string text, int start, string delimiter, out string inner, out int next)
    {
        var end = text.IndexOf(delimiter, start + delimiter.Length, StringComparison.Ordinal);
        if (end < 0 || end == start + delimiter.Length)
        {
            inner = string.Empty;
            next = start;
            return false;
        }

        inner = text[(start + delimiter.Length)..end];
        next = end + delimiter.Length;
        return true;
    }

    private static bool TryLink(string text, int start, out string label, out string target, out int next)
    {
        label = target = string.Empty;
        next = start;
        var close = text.IndexOf(']', start + 1);
        if (close < 0 || close + 1 >= text.Length || text[close + 1] != '(')
        {
            return false;
        }

        var end = text.IndexOf(')', close + 2);
        if (end < 0)
        {
            return false;
        }

        label = text[(start + 1)..close];
        target = text[(close + 2)..end].Trim();
        next = end + 1;
        return true;
    }

    private static bool SafeTarget(string target) =>
        target.StartsWith('#') || target.StartsWith('/') ||
        target.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
        target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
        (!target.Contains(':', StringComparison.Ordinal) && target.Length > 0);

    /// <summary>GitHub-style heading anchor: lower case, letters/digits kept, spaces to dashes.</summary>
    public static string Slug(string heading)
    {
        var slug = new StringBuilder(heading.Length);
        foreach (var c in heading.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == '-' || c == '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }
}
