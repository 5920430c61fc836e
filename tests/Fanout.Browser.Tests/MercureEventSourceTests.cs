using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Fanout.Browser.Tests;

/// <summary>
/// The browser's own EventSource subscribes to Fanout's Mercure endpoint with the
/// <c>mercureAuthorization</c> cookie: private updates, multi-line data and types arrive;
/// when the token expires the stream ends, the browser reconnects by itself with its
/// Last-Event-ID and a fresh cookie, and gets what was published meanwhile.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MercureEventSourceTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const string Subscribe = """
        url => new Promise(resolve => {
          window.received = [];
          window.opened = 0;
          window.errors = 0;
          const source = new EventSource(url);
          const take = e => window.received.push({ type: e.type, data: e.data, id: e.lastEventId });
          source.onmessage = take;
          source.addEventListener('book.updated', take);
          source.onopen = () => { window.opened++; resolve(); };
          source.onerror = () => { window.errors++; };
        })
        """;

    [SkippableFact]
    public async Task An_event_source_gets_private_updates_and_resumes_by_itself_after_its_token_expired()
    {
        Chromium.SkipUnlessInstalled();
        await using var node = await DashboardNode.StartAsync($"--Fanout:Mercure:PublisherJwtKey={Tokens.MercureKey}");
        var topic = $"https://example.com/books/{Guid.NewGuid():N}";
        using var publisher = Publisher(node.Url);
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, node.Url);
        await page.RunAsync("mercure-event-source", output, async () =>
        {
            await SetTokenAsync(page, node.Url, DateTime.UtcNow.AddSeconds(4));
            await page.Page.EvaluateAsync(Subscribe, "/.well-known/mercure?topic=" + Uri.EscapeDataString("https://example.com/books/{id}"));

            var first = await PublishAsync(publisher, ("topic", topic), ("data", "line 1\nline 2"), ("private", "on"), ("type", "book.updated"), ("retry", "500"));
            await page.Page.WaitForFunctionAsync("() => window.received.length >= 1");

            // The cookie token expires: the hub ends the stream, the browser reconnects (500 ms
            // retry) with a fresh cookie and its Last-Event-ID.
            await SetTokenAsync(page, node.Url, DateTime.UtcNow.AddMinutes(10));
            await page.Page.WaitForFunctionAsync("() => window.opened >= 2", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            var second = await PublishAsync(publisher, ("topic", topic), ("data", "after"));
            await page.Page.WaitForFunctionAsync("() => window.received.length >= 2");

            var received = JsonSerializer.Deserialize<Received[]>(
                await page.Page.EvaluateAsync<string>("() => JSON.stringify(window.received)"),
                new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            Assert.Equal(
                [new Received("book.updated", "line 1\nline 2", first), new Received("message", "after", second)],
                received);
        });
    }

    [SkippableFact]
    public async Task An_update_published_while_the_browser_reconnects_is_not_lost()
    {
        Chromium.SkipUnlessInstalled();
        await using var node = await DashboardNode.StartAsync($"--Fanout:Mercure:PublisherJwtKey={Tokens.MercureKey}");
        var topic = $"https://example.com/books/{Guid.NewGuid():N}";
        using var publisher = Publisher(node.Url);
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, node.Url);
        await page.RunAsync("mercure-reconnect", output, async () =>
        {
            await SetTokenAsync(page, node.Url, DateTime.UtcNow.AddSeconds(3));
            await page.Page.EvaluateAsync(Subscribe, "/.well-known/mercure?topic=" + Uri.EscapeDataString(topic));
            var first = await PublishAsync(publisher, ("topic", topic), ("data", "1"), ("retry", "3000"));
            await page.Page.WaitForFunctionAsync("() => window.received.length >= 1");

            // Published after the stream ended at expiry (the browser saw the error) and before
            // it came back, 3 s later.
            await SetTokenAsync(page, node.Url, DateTime.UtcNow.AddMinutes(10));
            await page.Page.WaitForFunctionAsync("() => window.errors >= 1", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            var missed = await PublishAsync(publisher, ("topic", topic), ("data", "2"));
            await page.Page.WaitForFunctionAsync("() => window.received.length >= 2", null, new PageWaitForFunctionOptions { Timeout = 30_000 });

            var ids = await page.Page.EvaluateAsync<string[]>("() => window.received.map(r => r.id)");
            Assert.Equal([first, missed], ids);
        });
    }

    /// <summary>An HTTP client that may publish every topic on the node's Mercure endpoint.</summary>
    private static HttpClient Publisher(Uri node)
    {
        var publisher = new HttpClient { BaseAddress = node };
        publisher.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", Tokens.Mercure(["*"], [], DateTime.UtcNow.AddMinutes(10)));
        return publisher;
    }

    private static async Task SetTokenAsync(DashboardPage page, Uri node, DateTime expires) =>
        await page.Page.Context.AddCookiesAsync(
        [
            new Cookie { Name = "mercureAuthorization", Value = Tokens.Mercure([], ["https://example.com/books/{id}"], expires), Url = node.ToString() },
        ]);

    private static async Task<string> PublishAsync(HttpClient http, params (string Name, string Value)[] fields)
    {
        using var response = await http.PostAsync(
            "/.well-known/mercure", new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Publish answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private sealed record Received(string Type, string Data, string Id);
}
