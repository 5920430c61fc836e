using Fanout.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Browser.Tests;

/// <summary>
/// A stalled subscriber: the proxy between Chromium and the node stops reading, so the
/// node's writes back up (socket buffers, then the one-frame stream buffer) and the
/// subscriber's four-event drop-head mailbox drops. The test publishes big events until the
/// mailbox has really dropped (read in process, so no guess about buffer sizes), lets the
/// bytes flow again, and checks that the page shows the loss in place.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LaggedMarkerTests(BrowserFixture fixture, ITestOutputHelper output)
{
    // 1,000 events of 60 KB (60 MB) is far more than the socket buffers between the node and the stalled proxy hold.
    private const int MaxEvents = 1000;
    private static readonly string Padding = new('x', 60_000);

    [SkippableFact]
    public async Task A_stalled_subscriber_sees_a_lagged_marker_in_place()
    {
        Chromium.SkipUnlessInstalled();
        await using var node = await DashboardNode.StartAsync(
            "--Fanout:Subscriber:MaxEvents=4",
            "--Fanout:Subscriber:StreamBufferFrames=1");
        await using var proxy = LoopbackProxy.Start(node.Url);
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, proxy.Url);
        await page.RunAsync("lagged-marker", output, async () =>
        {
            const string topic = "orders/lagging";
            await page.TailAsync(topic);
            var first = await node.PublishAsync(topic, new { order = 1, note = "before the stall" });
            await Expect(page.EventRow(first.Id)).ToBeVisibleAsync();

            proxy.StallDownstream();
            var published = await PublishUntilDroppedAsync(node, topic, firstOrder: 2);
            output.WriteLine($"stalled: {published} events published until the mailbox dropped");
            proxy.ResumeDownstream();

            var last = await node.PublishAsync(topic, new { order = published + 2, note = "after the stall" });
            await Expect(page.EventRow(last.Id)).ToBeVisibleAsync(new() { Timeout = 30_000 });

            // Every seq from the first row on is either shown once or inside a lagged marker, in order.
            var rows = await page.ReadTailAsync();
            var lagged = rows.Where(r => r.Kind == "lagged").ToList();
            Assert.NotEmpty(lagged);
            AssertEverySeqAccountedFor(rows, last.Seq);
            Assert.All(rows.Where(r => r.Kind == "event" && r.Id != first.Id && r.Id != last.Id), r => Assert.Equal("order.updated", r.Type));

            // The page's dropped count is exactly what the node's mailbox dropped.
            var droppedOnPage = lagged.Sum(r => long.Parse(r.Dropped!));
            Assert.Equal(SubscriberMailboxes.TotalDropped(node.System), droppedOnPage);
            await Expect(page.Rows("lagged").First).ToBeVisibleAsync();
            await Expect(page.Rows("lagged").First).ToContainTextAsync($"dropped (seq {lagged[0].FromSeq}–{lagged[0].ToSeq})");
            await Expect(page.Page.Locator("#tail-counters")).ToContainTextAsync($"({droppedOnPage} dropped)");
            // The page's own polls, stalled with the stream, came back too.
            await Expect(page.Page.Locator($"#topics-body tr[data-topic='{topic}'] td").Nth(2)).ToHaveTextAsync(last.Seq.ToString());
            Assert.Empty(page.Errors(e => e.Location.Contains("/admin/subscribers", StringComparison.Ordinal)));
        });
    }

    /// <summary>
    /// Publishes ~60 KB events one request at a time (so the subscriber keeps up as long as
    /// its stream moves) until its mailbox has dropped; returns how many it took.
    /// </summary>
    private static async Task<int> PublishUntilDroppedAsync(DashboardNode node, string topic, int firstOrder)
    {
        for (var published = 1; published <= MaxEvents; published++)
        {
            // A custom type: the tail shows it like any other (and the screenshot in docs/dashboard.md shows one).
            await node.PublishAsync(topic, new { order = firstOrder + published - 1, note = "published while the reader stalls", pad = Padding }, "order.updated");
            if (SubscriberMailboxes.TotalDropped(node.System) > 0)
            {
                return published;
            }
        }

        throw new XunitException($"The stalled subscriber's mailbox dropped nothing after {MaxEvents} events of 60 KB.");
    }

    private static void AssertEverySeqAccountedFor(IReadOnlyList<TailRow> rows, long lastSeq)
    {
        long? next = null;
        foreach (var row in rows)
        {
            switch (row.Kind)
            {
                case "event":
                    var seq = long.Parse(row.Seq!);
                    Assert.True(next is null || seq == next, $"event seq {seq} where {next} was due");
                    next = seq + 1;
                    break;
                case "lagged":
                    var from = long.Parse(row.FromSeq!);
                    Assert.True(next is null || from == next, $"lagged from {from} where {next} was due");
                    next = long.Parse(row.ToSeq!) + 1;
                    break;
                case "connected":
                    break;
                default:
                    Assert.Fail($"unexpected tail row '{row.Kind}'");
                    break;
            }
        }

        Assert.Equal(lastSeq + 1, next);
    }
}
