using Fanout.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Browser.Tests;

/// <summary>
/// A dropped connection: the proxy resets every connection and holds new ones while events
/// are published, then lets them through. Nothing in the page reconnects: Chromium's
/// EventSource does, after the node's short <c>retry:</c>, sending its own Last-Event-ID.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ResumeTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_dropped_connection_resumes_through_the_browsers_own_Last_Event_ID_without_duplicates()
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
            var shown = (await page.ReadTailAsync()).Where(r => r.Kind is "event" or "duplicate" or "unheard" or "lagged").ToList();
            Assert.Equal(published.Select(p => p.Id), shown.Select(r => r.Id));
            Assert.All(shown, r => Assert.Equal("event", r.Kind));

            // The resume came from Chromium's own header; the page never put a cursor in the URL.
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

    // Chromium logs the reset stream (and any poll cut with it) as a failed resource load.
    private static bool IsDroppedConnection(ConsoleEntry entry) =>
        entry.Text.Contains("net::ERR_", StringComparison.Ordinal);
}
