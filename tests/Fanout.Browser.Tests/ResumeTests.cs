using Fanout.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Browser.Tests;

/// <summary>
/// A dropped connection: the proxy resets every connection and holds new ones while events
/// are published, then lets them through. The page's stream reader reconnects after the
/// node's short <c>retry:</c>, sending the last event id as the Last-Event-ID header.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ResumeTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_dropped_connection_resumes_with_the_Last_Event_ID_header_without_duplicates()
    {
        Chromium.SkipUnlessInstalled();
        await using var node = await DashboardNode.StartAsync("--Fanout:Subscriber:RetryMilliseconds=300");
        await using var proxy = LoopbackProxy.Start(node.Url);
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, proxy.Url);
        var streams = new List<IRequest>();
        page.Page.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath.EndsWith("/events", StringComparison.Ordinal))
            {
                lock (streams)
                {
                    streams.Add(request);
                }
            }
        };

        await page.RunAsync("resume", output, async () =>
        {
            const string topic = "orders/resuming";
            await page.TailAsync(topic);
            var published = new List<Published>();
            for (var i = 1; i <= 3; i++)
            {
                published.Add(await node.PublishAsync(topic, new { order = i, note = "before the drop" }));
            }

            await Expect(page.EventRow(published[^1].Id)).ToBeVisibleAsync();
            var lastSeenBeforeDrop = published[^1].Id;

            proxy.CutAndHold();
            await Expect(page.TailState).ToHaveAttributeAsync("data-state", "reconnecting");
            for (var i = 4; i <= 6; i++)
            {
                published.Add(await node.PublishAsync(topic, new { order = i, note = "while the connection is down" }));
            }

            proxy.Restore();
            await Expect(page.Rows("connected")).ToHaveCountAsync(2);
            await Expect(page.Rows("connected").Nth(1)).ToHaveAttributeAsync("data-resumed", "true");
            published.Add(await node.PublishAsync(topic, new { order = 7, note = "after the reconnect" }));
            await Expect(page.EventRow(published[^1].Id)).ToBeVisibleAsync();

            // Each event exactly once, in order: the three missed ones replayed, none twice.
            var shown = (await page.ReadTailAsync()).Where(r => r.Kind is "event" or "duplicate" or "gap" or "lagged").ToList();
            Assert.Equal(published.Select(p => p.Id), shown.Select(r => r.Id));
            Assert.All(shown, r => Assert.Equal("event", r.Kind));

            // The resume came from the Last-Event-ID header; the page never put a cursor in the URL.
            IRequest[] requests;
            lock (streams)
            {
                requests = streams.ToArray();
            }

            Assert.True(requests.Length >= 2, $"expected a reconnect, saw {requests.Length} stream request(s)");
            Assert.Null(await requests[0].HeaderValueAsync("last-event-id"));
            foreach (var reconnect in requests.Skip(1))
            {
                Assert.Equal(lastSeenBeforeDrop, await reconnect.HeaderValueAsync("last-event-id"));
                Assert.DoesNotContain("lastEventId", reconnect.Url, StringComparison.Ordinal);
            }

            Assert.Empty(page.Errors(e => IsDroppedConnection(e) || e.Location.Contains("/admin/subscribers", StringComparison.Ordinal)));
        });
    }

    [SkippableFact]
    public async Task A_resume_from_beyond_the_history_shows_a_reset_marker_in_place()
    {
        Chromium.SkipUnlessInstalled();
        await using var node = await DashboardNode.StartAsync("--Fanout:Subscriber:RetryMilliseconds=300", "--Fanout:Topic:HistoryEvents=2");
        await using var proxy = LoopbackProxy.Start(node.Url);
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, proxy.Url);
        await page.RunAsync("reset-marker", output, async () =>
        {
            const string topic = "orders/expiring";
            await page.TailAsync(topic);
            var seen = await node.PublishAsync(topic, new { order = 1 });
            await Expect(page.EventRow(seen.Id)).ToBeVisibleAsync();

            // While the browser is away, the two-event history moves past its last id.
            proxy.CutAndHold();
            await Expect(page.TailState).ToHaveAttributeAsync("data-state", "reconnecting");
            for (var i = 2; i <= 5; i++)
            {
                await node.PublishAsync(topic, new { order = i });
            }

            proxy.Restore();
            await Expect(page.Rows("reset")).ToHaveCountAsync(1);
            await Expect(page.Rows("reset")).ToHaveAttributeAsync("data-reason", "cursor-expired");
            await Expect(page.Rows("connected").Nth(1)).ToHaveAttributeAsync("data-resumed", "false");
            var next = await node.PublishAsync(topic, new { order = 6 });
            await Expect(page.EventRow(next.Id)).ToBeVisibleAsync();

            var kinds = (await page.ReadTailAsync()).Select(r => r.Kind).ToList();
            Assert.Equal(["connected", "event", "disconnected", "connected", "reset", "event"], kinds);
            Assert.Empty(page.Errors(e => IsDroppedConnection(e) || e.Location.Contains("/admin/subscribers", StringComparison.Ordinal)));
        });
    }

    [SkippableFact]
    public async Task A_shutdown_shows_in_place_and_the_page_resumes_after_its_retry()
    {
        Chromium.SkipUnlessInstalled();
        await using var node = await DashboardNode.StartAsync("--Fanout:Subscriber:RetryMilliseconds=300");
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, node.Url);
        await page.RunAsync("shutdown-marker", output, async () =>
        {
            const string topic = "orders/shutdown";
            await page.TailAsync(topic);
            var before = await node.PublishAsync(topic, new { order = 1 }, "order.created");
            await Expect(page.EventRow(before.Id)).ToBeVisibleAsync();

            // What a draining node does to its streams: fanout.shutdown with a jittered retry:, then the end.
            var closing = await node.Hub.CloseLocalSubscribersAsync(spreadMillis: 200);
            Assert.Equal(1, closing.Count);
            await Expect(page.Rows("shutdown")).ToHaveCountAsync(1);
            await Expect(page.Rows("connected")).ToHaveCountAsync(2);
            await Expect(page.Rows("connected").Nth(1)).ToHaveAttributeAsync("data-resumed", "true");
            var after = await node.PublishAsync(topic, new { order = 2 }, "order.shipped");
            await Expect(page.EventRow(after.Id).Locator(".type")).ToHaveTextAsync("order.shipped");

            var kinds = (await page.ReadTailAsync()).Select(r => r.Kind).ToList();
            Assert.Equal(["connected", "event", "shutdown", "disconnected", "connected", "event"], kinds);
            Assert.Empty(page.Errors(e => e.Location.Contains("/admin/subscribers", StringComparison.Ordinal)));
        });
    }

    [SkippableFact]
    public async Task A_node_at_its_subscriber_limit_is_tried_again_after_its_Retry_After()
    {
        Chromium.SkipUnlessInstalled();
        await using var node = await DashboardNode.StartAsync(
            "--Fanout:Limits:MaxSubscribersPerNode=1", "--Fanout:Limits:SubscriberRetryAfterSeconds=1");
        await using var occupant = await SseStream.OpenAsync(node.Http, "/topics/orders%2Foccupied/events");
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, node.Url);
        await page.RunAsync("retry-after", output, async () =>
        {
            await page.Page.FillAsync("#tail-topic", "orders/waiting");
            await page.Page.ClickAsync("#tail-start");
            await Expect(page.Rows("refused").First).ToContainTextAsync("HTTP 503");
            await Expect(page.TailState).ToHaveAttributeAsync("data-state", "reconnecting");

            await occupant.DisposeAsync();
            await Expect(page.Rows("connected")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Expect(page.TailState).ToHaveAttributeAsync("data-state", "open");
            var published = await node.PublishAsync("orders/waiting", new { order = 1 });
            await Expect(page.EventRow(published.Id)).ToBeVisibleAsync();
            Assert.Empty(page.Errors(e => e.Text.Contains("503", StringComparison.Ordinal) || e.Location.Contains("/admin/subscribers", StringComparison.Ordinal)));
        });
    }

    // Chromium logs the reset stream (and any poll cut with it) as a failed resource load.
    private static bool IsDroppedConnection(ConsoleEntry entry) =>
        entry.Text.Contains("net::ERR_", StringComparison.Ordinal);
}
