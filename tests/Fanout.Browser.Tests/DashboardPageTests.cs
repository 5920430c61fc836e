using System.Net.Http.Json;
using Fanout.Testing;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Browser.Tests;

/// <summary>The page against a node with default settings: loading, tail, publish form, token, admin view.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardPageTests(BrowserFixture fixture, ITestOutputHelper output)
{
    // Chromium reports every non-2xx fetch as a console error. A node without the admin
    // API answers 404 there, which the page handles (the panel shows a note).
    private static bool IsMissingAdminApi(ConsoleEntry entry) =>
        entry.Location.Contains("/admin/subscribers", StringComparison.Ordinal) && entry.Text.Contains("404", StringComparison.Ordinal);

    [SkippableFact]
    public async Task The_page_loads_with_topics_and_rates_and_no_console_error()
    {
        Chromium.SkipUnlessInstalled();
        var node = fixture.Node;
        const string topic = "dashboard/load";
        await node.PublishAsync(topic, new { step = 1 });

        await using var page = await DashboardPage.OpenAsync(fixture.Browser, node.Url);
        await page.RunAsync("page-loads", output, async () =>
        {
            var row = page.Page.Locator($"#topics-body tr[data-topic='{topic}']");
            await Expect(row).ToBeVisibleAsync();
            await Expect(page.Page.Locator("#subscribers-note")).ToHaveAttributeAsync("data-state", new Regex("^(available|unavailable)$"));

            // The rate is the lastSeq change between two polls (2 s apart): the poll after this publish shows it above zero.
            await node.PublishAsync(topic, new { step = 2 });
            await Expect(row.Locator("td.rate")).ToHaveTextAsync(new Regex(@"^(0\.[1-9]|[1-9]\d*\.\d)$"));
            await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("2");

            // The node's own admin API answers (auth is off): the panel is live, not the 404 note.
            await Expect(page.Page.Locator("#subscribers-note")).ToHaveAttributeAsync("data-state", "available");

            Assert.Empty(page.Errors(IsMissingAdminApi));
        });
    }

    [SkippableFact]
    public async Task Events_of_every_type_appear_in_the_tail_with_their_type_as_text()
    {
        Chromium.SkipUnlessInstalled();
        var node = fixture.Node;
        const string topic = "dashboard/tail";
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, node.Url);
        await page.RunAsync("event-in-tail", output, async () =>
        {
            await page.TailAsync(topic);

            // Nothing tells the page which types to expect: custom types show as they come.
            var markup = new { id = 7, note = "<img src=x onerror=\"window.injected = 1\">" };
            var created = await node.PublishAsync(topic, markup, "order.created");
            var plain = await node.PublishAsync(topic, "plain text");
            var audit = await node.PublishAsync(topic, new { multi = "line\nbreak" }, "audit:logged/v2");

            var row = page.EventRow(created.Id);
            await Expect(row.Locator(".type")).ToHaveTextAsync("order.created");
            await Expect(row.Locator(".id")).ToHaveTextAsync(created.Id);
            await Expect(row.Locator(".data")).ToHaveTextAsync("""{"id":7,"note":"<img src=x onerror=\"window.injected = 1\">"}""");
            await Expect(page.EventRow(plain.Id).Locator(".type")).ToHaveTextAsync("message");
            await Expect(page.EventRow(plain.Id).Locator(".data")).ToHaveTextAsync("\"plain text\"");
            await Expect(page.EventRow(audit.Id).Locator(".type")).ToHaveTextAsync("audit:logged/v2");
            await Expect(page.EventRow(audit.Id).Locator(".data")).ToHaveTextAsync("""{"multi":"line\nbreak"}""");

            // Data is text, never markup.
            await Expect(page.Page.Locator("#tail-log img")).ToHaveCountAsync(0);
            Assert.True(await page.Page.EvaluateAsync<bool>("() => window.injected === undefined"));

            // Every seq shows once, in order, with its type: no gap, no duplicate.
            var events = (await page.ReadTailAsync()).Where(r => r.Kind != "connected").ToList();
            Assert.Equal([created.Id, plain.Id, audit.Id], events.Select(r => r.Id));
            Assert.Equal(["order.created", "message", "audit:logged/v2"], events.Select(r => r.Type));
            Assert.All(events, r => Assert.Equal("event", r.Kind));

            Assert.Empty(page.Errors(IsMissingAdminApi));
        });
    }

    [SkippableFact]
    public async Task The_publish_form_posts_an_event_that_the_tail_shows()
    {
        Chromium.SkipUnlessInstalled();
        const string topic = "dashboard/form";
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, fixture.Node.Url);
        await page.RunAsync("publish-form", output, async () =>
        {
            await page.TailAsync(topic);
            await page.Page.FillAsync("#publish-topic", topic);
            await page.Page.FillAsync("#publish-type", "note.added");
            await page.Page.FillAsync("#publish-data", "{\"text\":\"from the form\"}");
            await page.Page.ClickAsync("#publish-send");

            await Expect(page.Page.Locator("#publish-result")).ToContainTextAsync("accepted: seq 1");
            var row = page.Rows("event").Filter(new LocatorFilterOptions { HasText = "from the form" });
            await Expect(row.Locator(".type")).ToHaveTextAsync("note.added");

            await page.Page.FillAsync("#publish-data", "{not json");
            await page.Page.ClickAsync("#publish-send");
            await Expect(page.Page.Locator("#publish-result")).ToContainTextAsync("Data is not valid JSON");

            Assert.Empty(page.Errors(IsMissingAdminApi));
        });
    }

    [SkippableFact]
    public async Task The_token_goes_as_a_Bearer_header_to_every_request_the_stream_included()
    {
        Chromium.SkipUnlessInstalled();
        const string token = "header.payload.signature";
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, fixture.Node.Url);
        await page.RunAsync("token", output, async () =>
        {
            await page.Page.FillAsync("#token", token);
            var poll = await page.Page.RunAndWaitForRequestAsync(
                () => page.Page.ClickAsync("#token-form button[type=submit]"),
                request => request.Url.EndsWith("/admin/subscribers", StringComparison.Ordinal));
            Assert.Equal("Bearer " + token, await poll.HeaderValueAsync("authorization"));
            await Expect(page.Page.Locator("#token-state")).ToHaveTextAsync("token set (this tab only)");
            Assert.Equal(token, await page.Page.EvaluateAsync<string>("() => sessionStorage.getItem('fanout.token')"));

            var stream = await page.Page.RunAndWaitForRequestAsync(
                () => page.TailAsync("dashboard/token"),
                request => request.Url.Contains("/events", StringComparison.Ordinal));
            Assert.Equal("Bearer " + token, await stream.HeaderValueAsync("authorization"));
            Assert.DoesNotContain("access_token", stream.Url, StringComparison.Ordinal);
            Assert.DoesNotContain(token, stream.Url, StringComparison.Ordinal);

            // Auth is off on this node: the token is ignored and the stream works.
            await Expect(page.Rows("connected")).ToHaveCountAsync(1);

            await page.Page.ClickAsync("#token-forget");
            var anonymous = await page.Page.RunAndWaitForRequestAsync(
                () => page.Page.ReloadAsync(),
                request => request.Url.EndsWith("/topics", StringComparison.Ordinal));
            Assert.Null(await anonymous.HeaderValueAsync("authorization"));
            Assert.Empty(page.Errors(IsMissingAdminApi));
        });
    }

    [SkippableFact]
    public async Task The_admin_panel_lists_the_nodes_slowest_subscribers_as_text_and_closes_one()
    {
        Chromium.SkipUnlessInstalled();
        // A node of its own with auth on: the panel reads the node's real admin API with an
        // admin token, and the subscribers are real streams opened over HTTP.
        await using var node = await DashboardNode.StartAsync($"--Fanout:Auth:SigningKey={Tokens.SigningKey}");
        var client = Tokens.Grant(publish: ["admin/*"], subscribe: ["admin/*"]);
        const string markupAgent = "<img src=x onerror=\"window.injected = 1\">";
        using var markupHttp = Client(node, client, markupAgent);
        using var curlHttp = Client(node, client, "curl/8.0");

        // Slowest first: neither drops, so the one written to longest ago leads. The quiet
        // one has had only its connected frame; the busy one then gets an event.
        await using var quiet = await SseStream.OpenAsync(markupHttp, "/topics/admin%2Fquiet/events");
        Assert.Equal("fanout.connected", (await quiet.NextAsync()).EventType);
        await using var busy = await SseStream.OpenAsync(curlHttp, "/events?topic=admin/busy&topic=admin/other");
        Assert.Equal("fanout.connected", (await busy.NextAsync()).EventType);
        using (var published = await curlHttp.PostAsJsonAsync("/topics/admin%2Fbusy/events", new { data = 1 }))
        {
            published.EnsureSuccessStatusCode();
        }

        Assert.Equal("1", (await busy.NextAsync()).Data);

        await using var page = await DashboardPage.OpenAsync(fixture.Browser, node.Url);
        await page.RunAsync("admin-panel", output, async () =>
        {
            // Without a token the node refuses the admin API, and the panel says why.
            await Expect(page.Page.Locator("#subscribers-note")).ToContainTextAsync("admin permission (HTTP 401");

            await page.Page.FillAsync("#token", Tokens.Grant(publish: [], subscribe: ["*"], admin: true));
            await page.Page.ClickAsync("#token-form button[type=submit]");
            var rows = page.Page.Locator("#subscribers-body > tr");
            await Expect(page.Page.Locator("#subscribers-table")).ToBeVisibleAsync();
            await Expect(rows).ToHaveCountAsync(2);
            await Expect(rows.Nth(0)).ToContainTextAsync("admin/quiet");
            await Expect(rows.Nth(0).Locator("td").Nth(4)).ToHaveTextAsync(markupAgent);
            await Expect(rows.Nth(0).Locator("td").Nth(6)).ToHaveTextAsync("0");
            await Expect(rows.Nth(1).Locator("td").Nth(2)).ToHaveTextAsync("admin/busy, admin/other");
            await Expect(rows.Nth(1).Locator("td").Nth(4)).ToHaveTextAsync("curl/8.0");
            await Expect(rows.Nth(1).Locator("td").Nth(6)).ToHaveTextAsync("1");
            await Expect(rows.Nth(1).Locator("td").Nth(1)).ToHaveTextAsync(node.Address.ToString());
            await Expect(page.Page.Locator("#subscribers-panel img")).ToHaveCountAsync(0);
            Assert.True(await page.Page.EvaluateAsync<bool>("() => window.injected === undefined"));

            // Close sends the real DELETE: the node ends that stream, and the row goes.
            var id = await rows.Nth(0).GetAttributeAsync("data-id");
            var deleted = await page.Page.RunAndWaitForResponseAsync(
                () => rows.Nth(0).GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Close" }).ClickAsync(),
                response => response.Request.Method == "DELETE");
            Assert.Equal($"/admin/subscribers/{id}", new Uri(deleted.Url).AbsolutePath);
            Assert.Equal(204, deleted.Status);
            Assert.True(await quiet.EndsAsync(TimeSpan.FromSeconds(20)), "The closed subscriber's stream did not end.");
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows.Nth(0)).ToContainTextAsync("curl/8.0");
            Assert.Empty(page.Errors(IsRefusedWithoutToken));
        });
    }

    // The page's first polls, before the token is entered, are refused (401): Chromium logs them.
    private static bool IsRefusedWithoutToken(ConsoleEntry entry) => entry.Text.Contains("401", StringComparison.Ordinal);

    private static HttpClient Client(DashboardNode node, string token, string userAgent)
    {
        var http = new HttpClient { BaseAddress = node.Url, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        return http;
    }
}
