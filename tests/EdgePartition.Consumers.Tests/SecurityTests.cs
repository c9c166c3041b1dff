using System.Net;
using System.Net.WebSockets;

namespace EdgePartition.Consumers.Tests;

public sealed class SecurityTests
{
    private const string Token = "s3cret-token";

    [Fact]
    public void BindsLoopbackByDefault() => Assert.Equal(IPAddress.Loopback, new ConsumersOptions().BindAddress);

    [Theory]
    [InlineData("/api/status")]
    [InlineData("/api/devices/plc1/tags")]
    [InlineData("/metrics")]
    [InlineData("/")]
    [InlineData("/manual")]
    public async Task MissingTokenIsRejectedWith401(string path)
    {
        await using var partition = await TestPartition.StartAsync(new ConsumersOptions { BearerToken = Token });
        using var client = partition.Client();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("invalid_request", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("s3cret-token-but-longer")]
    [InlineData("s3cret-toke")]
    public async Task WrongTokenIsRejectedWith401(string token)
    {
        await using var partition = await TestPartition.StartAsync(new ConsumersOptions { BearerToken = Token });
        using var client = partition.Client(token);
        var error = await HttpAssert.JsonAsync(await client.GetAsync("/api/status"), HttpStatusCode.Unauthorized);
        Assert.Contains("not valid", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task RightTokenOpensEveryEndpointAndHealthzNeedsNone()
    {
        await using var partition = await TestPartition.StartAsync(new ConsumersOptions { BearerToken = Token });
        using (var client = partition.Client(Token))
        {
            await HttpAssert.JsonAsync(await client.GetAsync("/api/status"), HttpStatusCode.OK);
            using var metrics = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        }

        using var anonymous = partition.Client();
        using var health = await anonymous.GetAsync("/healthz");
        Assert.True(health.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task WebsocketNeedsTheTokenToo()
    {
        await using var partition = await TestPartition.StartAsync(new ConsumersOptions { BearerToken = Token });
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => FeedTestClient.ConnectAsync(partition));
        Assert.Contains("401", refused.Message);

        await using var feed = await FeedTestClient.ConnectAsync(partition, token: Token);
        await feed.WaitForAsync(m => FeedTestClient.Type(m) == "snapshot");
    }

    [Fact]
    public async Task TokenInTheDashboardLinkBecomesACookieAndLeavesTheAddressBar()
    {
        await using var partition = await TestPartition.StartAsync(new ConsumersOptions { BearerToken = Token });
        using var client = partition.Client();
        using var response = await client.GetAsync($"/?access_token={Token}&x=1");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/?x=1", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var pageResponse = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);
    }
}
