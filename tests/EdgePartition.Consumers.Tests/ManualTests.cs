using System.Net;
using EdgePartition.Consumers.Web;

namespace EdgePartition.Consumers.Tests;

public sealed class ManualTests
{
    [Fact]
    public async Task ManualIsServedFromTheRepositoryText()
    {
        await using var partition = await TestPartition.StartAsync();
        using var client = partition.Client();
        var markdown = await File.ReadAllTextAsync(RepoPaths.Combine("docs", "manual.md"));

        var source = await client.GetStringAsync("/manual.md");
        Assert.Equal(markdown, source);

        using var page = await client.GetAsync("/manual");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<h1 id=\"edgepartition-operators-manual\">EdgePartition operator's manual</h1>", html);
        Assert.Contains("PUT/GET", html);
        Assert.Contains("Optimized block access", html);
        Assert.Contains("<table>", html);
    }

    [Fact]
    public async Task DashboardIsServedWithoutExternalResources()
    {
        await using var partition = await TestPartition.StartAsync();
        using var client = partition.Client();
        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        foreach (var asset in new[] { "/", "/app.js", "/app.css", "/favicon.svg" })
        {
            var text = await client.GetStringAsync(asset);
            Assert.DoesNotContain("http://", text.Replace("http://www.w3.org/2000/svg", ""));
            Assert.DoesNotContain("https://", text);
        }

        var etag = page.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Theory]
    [InlineData("# Title", "<h1 id=\"title\">Title</h1>\n")]
    [InlineData("a <b> & c", "<p>a &lt;b&gt; &amp; c</p>\n")]
    [InlineData("use `x<y` and **bold** and *it*", "<p>use <code>x&lt;y</code> and <strong>bold</strong> and <em>it</em></p>\n")]
    [InlineData("[ok](/manual) [bad](javascript:alert)", "<p><a href=\"/manual\">ok</a> bad</p>\n")]
    [InlineData("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n")]
    [InlineData("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n")]
    [InlineData("```sh\n<script>\n```", "<pre><code class=\"language-sh\">&lt;script&gt;\n</code></pre>\n")]
    [InlineData("| a | b |\n|---|---|\n| 1 | 2 |", "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n")]
    public void MarkdownRendererCoversTheManualsSubsetAndEscapes(string markdown, string html) =>
        Assert.Equal(html, MarkdownRenderer.ToHtml(markdown));

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("text <script>alert(1)</script> inline")]
    [InlineData("<div>\n<script src=\"/x.js\"></script>\n</div>")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[ref link][r]\n\n[r]: javascript:alert(1)")]
    public void MarkdownRendererNeverEmitsRawHtmlOrScriptLinks(string markdown)
    {
        var html = MarkdownRenderer.ToHtml(markdown);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<div", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
    }
}
