using System.Text.Json;
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
    public async Task An_event_published_over_HTTP_appears_in_the_tail_as_text()
    {
        Chromium.SkipUnlessInstalled();
        var node = fixture.Node;
        const string topic = "dashboard/tail";
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, node.Url);
        await page.RunAsync("event-in-tail", output, async () =>
        {
            await page.TailAsync(topic, "message, order.created");

            var markup = new { id = 7, note = "<img src=x onerror=\"window.injected = 1\">" };
            var created = await node.PublishAsync(topic, markup, "order.created");
            var plain = await node.PublishAsync(topic, "plain text");

            var row = page.EventRow(created.Id);
            await Expect(row.Locator(".type")).ToHaveTextAsync("order.created");
            await Expect(row.Locator(".id")).ToHaveTextAsync(created.Id);
            await Expect(row.Locator(".data")).ToHaveTextAsync("""{"id":7,"note":"<img src=x onerror=\"window.injected = 1\">"}""");
            await Expect(page.EventRow(plain.Id).Locator(".data")).ToHaveTextAsync("\"plain text\"");

            // Data is text, never markup.
            await Expect(page.Page.Locator("#tail-log img")).ToHaveCountAsync(0);
            Assert.True(await page.Page.EvaluateAsync<bool>("() => window.injected === undefined"));

            // A type the page does not listen to is not silently skipped: the seq gap shows.
            var unheard = await node.PublishAsync(topic, new { hidden = true }, "audit.logged");
            var after = await node.PublishAsync(topic, new { visible = true });
            await Expect(page.EventRow(after.Id)).ToBeVisibleAsync();
            await Expect(page.Rows("unheard")).ToContainTextAsync($"seq {unheard.Seq}–{unheard.Seq}");

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
            // The tail starts listening to the type the form just published.
            await Expect(page.Page.Locator("#tail-types")).ToHaveValueAsync("message, note.added");
            var row = page.Rows("event").Filter(new LocatorFilterOptions { HasText = "from the form" });
            await Expect(row.Locator(".type")).ToHaveTextAsync("note.added");

            await page.Page.FillAsync("#publish-data", "{not json");
            await page.Page.ClickAsync("#publish-send");
            await Expect(page.Page.Locator("#publish-result")).ToContainTextAsync("Data is not valid JSON");

            Assert.Empty(page.Errors(IsMissingAdminApi));
        });
    }

    [SkippableFact]
    public async Task The_token_goes_as_a_Bearer_header_to_fetch_and_as_access_token_to_EventSource()
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
            Assert.Contains("access_token=" + Uri.EscapeDataString(token), stream.Url, StringComparison.Ordinal);

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
    public async Task The_admin_panel_lists_the_slowest_subscribers_as_text_and_closes_one()
    {
        Chromium.SkipUnlessInstalled();
        // The admin API's answer (AdminSubscribersAnswer's shape), served at the browser's edge
        // so the test controls the figures.
        var subscribers = new object[]
        {
            new
            {
                id = "s-2", node = "akka.tcp://fanout@127.0.0.1:4053", topics = new[] { "orders/1" }, remoteAddress = "127.0.0.1",
                userAgent = "<img src=x onerror=\"window.injected = 1\">", connectedAt = DateTime.UtcNow.AddMinutes(-3).ToString("O"),
                delivered = 10, dropped = 40, mailboxDepth = 1024, lastWriteAt = DateTime.UtcNow.AddSeconds(-30).ToString("O"),
            },
            new
            {
                id = "s-1", node = "akka.tcp://fanout@127.0.0.1:4053", topics = new[] { "orders/1", "orders/2" }, remoteAddress = "127.0.0.1",
                userAgent = "curl/8.0", connectedAt = DateTime.UtcNow.AddMinutes(-1).ToString("O"),
                delivered = 50, dropped = 0, mailboxDepth = 0, lastWriteAt = (string?)null,
            },
        };
        var deleted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, fixture.Node.Url, async browserPage =>
        {
            await browserPage.RouteAsync("**/admin/subscribers", route => route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 200,
                ContentType = "application/json",
                Body = JsonSerializer.Serialize(new { subscribers, unansweredMembers = Array.Empty<string>() }),
            }));
            await browserPage.RouteAsync("**/admin/subscribers/*", route =>
            {
                if (route.Request.Method == "DELETE")
                {
                    deleted.TrySetResult(new Uri(route.Request.Url).AbsolutePath);
                }

                return route.FulfillAsync(new RouteFulfillOptions { Status = 204 });
            });
        });
        await page.RunAsync("admin-panel", output, async () =>
        {
            var rows = page.Page.Locator("#subscribers-body > tr");
            await Expect(page.Page.Locator("#subscribers-table")).ToBeVisibleAsync();
            await Expect(rows).ToHaveCountAsync(2);
            await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-id", "s-2");
            await Expect(rows.Nth(0).Locator("td.dropped")).ToHaveTextAsync("40");
            await Expect(rows.Nth(0)).ToContainTextAsync("<img src=x onerror=");
            await Expect(rows.Nth(1).Locator("td").Nth(9)).ToHaveTextAsync("never");
            await Expect(page.Page.Locator("#subscribers-panel img")).ToHaveCountAsync(0);
            Assert.True(await page.Page.EvaluateAsync<bool>("() => window.injected === undefined"));

            await rows.Nth(0).GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Close" }).ClickAsync();
            Assert.Equal("/admin/subscribers/s-2", await deleted.Task.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Empty(page.Errors());
        });
    }
}
