using Fanout.Subscribers;

namespace Fanout.Operations.Tests;

/// <summary>
/// <c>/metrics</c> counts exactly what the traffic did (issue 6). One node per test: the
/// OpenTelemetry SDK collects every meter named "Fanout" in the process (it does not honour
/// IMeterFactory scopes), so two nodes in one process would add up each other's counts.
/// </summary>
public sealed class MetricsSpec
{
    [Fact]
    public async Task Metrics_and_the_admin_view_report_exactly_the_events_published_delivered_and_dropped()
    {
        await using var node = await OpsNode.StartAsync(SlowClientScenario.NodeSettings);
        await using var scenario = await SlowClientScenario.StartAsync(node, "metrics");

        await scenario.PublishUntilTheStalledClientDropsAsync();

        // While the client is stalled, events wait in its mailbox and some were dropped.
        var stalledBefore = scenario.StalledWhenDropping!;
        Assert.InRange(stalledBefore.MailboxDepth, 1, SlowClientScenario.MailboxEvents);

        var reading = await scenario.DrainStalledAsync();
        var topic = ("topic", scenario.Topic);
        var published = scenario.Published;
        var delivered = scenario.ReaderMessages + reading.Messages;
        Assert.Equal(published, scenario.ReaderMessages);
        Assert.True(reading.LaggedEvents >= stalledBefore.Dropped);

        var metrics = await PrometheusText.ScrapeAsync(node.Http);
        Assert.Equal(published, metrics.Value("fanout_events_published_total", topic));
        Assert.Equal(delivered, metrics.Value("fanout_events_delivered_total", topic));
        Assert.Equal(reading.LaggedEvents, metrics.Value("fanout_events_dropped_total", topic));
        Assert.Equal(reading.LaggedFrames, metrics.Value("fanout_lagged_sent_total", topic));
        Assert.Equal(2, metrics.Value("fanout_subscribers"));
        Assert.Equal(2, metrics.Value("fanout_subscriptions_started_total"));

        // Every 16th live event a subscriber takes from its mailbox (the first included) is
        // sampled for the depth distribution, and the stalled client's backlog shows in its
        // upper buckets.
        var samples = metrics.Value("fanout_mailbox_depth_count");
        Assert.Equal(SamplesOf(scenario.ReaderMessages) + SamplesOf(reading.Messages), samples);
        Assert.True(metrics.Value("fanout_mailbox_depth_bucket", ("le", "8")) < samples, "some samples above 8 events deep");
        Assert.True(metrics.Value("fanout_sse_write_duration_seconds_count") > 0);
        Assert.Equal(1, metrics.Value("fanout_cluster_members", ("status", "up")));
        Assert.Equal(0, metrics.Value("fanout_cluster_unreachable"));

        var stalled = await scenario.SubscriberAsync(SlowClientScenario.StalledAgent);
        var reader = await scenario.SubscriberAsync(SlowClientScenario.ReaderAgent);
        Assert.Equal(reading.LaggedEvents, stalled.Dropped);
        Assert.Equal(reading.Messages, stalled.Delivered);
        Assert.Equal(0, reader.Dropped);
        Assert.Equal(published, reader.Delivered);
    }

    /// <summary>The counters and the gauge the design names, as Prometheus sees them.</summary>
    private static readonly string[] TopicCounters =
        ["fanout_events_published_total", "fanout_events_delivered_total", "fanout_events_dropped_total", "fanout_lagged_sent_total"];

    [Fact]
    public async Task A_fresh_node_exports_every_counter_at_0_and_a_topics_series_from_its_first_event()
    {
        await using var node = await OpsNode.StartAsync();

        var fresh = await PrometheusText.ScrapeAsync(node.Http);
        foreach (var name in TopicCounters.Append("fanout_subscriptions_started_total").Append("fanout_subscribers"))
        {
            Assert.True(fresh.Exact(name) == 0, $"{name} is exported at 0 before the first event:\n{fresh.Text}");
        }

        Assert.DoesNotContain(fresh.Samples, s => s.Name.StartsWith("fanout_", StringComparison.Ordinal) && s.Labels.ContainsKey("topic"));

        // One event to a topic nobody reads: all of the topic's series exist, each at what happened.
        var topic = "fresh-" + Guid.NewGuid().ToString("N");
        await node.Http.PublishAsync(topic, 1);
        PrometheusText? after = null;
        await Eventually.HoldsAsync(
            async () => (after = await PrometheusText.ScrapeAsync(node.Http)).Exact("fanout_events_published_total", ("topic", topic)) == 1,
            TimeSpan.FromSeconds(20),
            "the topic's published counter is 1");
        foreach (var name in TopicCounters.Skip(1))
        {
            Assert.True(after!.Exact(name, ("topic", topic)) == 0, $"{name}{{topic=\"{topic}\"}} is exported at 0:\n{after.Text}");
        }
    }

    [Fact]
    public async Task Metrics_include_the_runtime_and_aspnetcore_meters()
    {
        await using var node = await OpsNode.StartAsync();
        await Eventually.HoldsAsync(
            async () =>
            {
                var metrics = await PrometheusText.ScrapeAsync(node.Http);
                return metrics.Samples.Any(s => s.Name.StartsWith("dotnet_gc_", StringComparison.Ordinal))
                       && metrics.Has("http_server_request_duration_seconds_count")
                       && metrics.Has("kestrel_active_connections");
            },
            TimeSpan.FromSeconds(20),
            "runtime, ASP.NET Core and Kestrel series on /metrics");
    }

    /// <summary>Depth samples a subscriber records for this many live events: the first and every 16th after it.</summary>
    private static long SamplesOf(long events) =>
        (events + SubscriberActor.DepthSampleEvery - 1) / SubscriberActor.DepthSampleEvery;
}
