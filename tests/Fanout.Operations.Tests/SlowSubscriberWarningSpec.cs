using Akka.Event;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Fanout.Operations.Tests;

/// <summary>A slow subscriber is named in a warning when it starts dropping, rate-limited (issue 6).</summary>
public sealed class SlowSubscriberWarningSpec
{
    private const string Template = "Slow subscriber";

    [Fact]
    public async Task A_subscriber_that_starts_dropping_is_named_once_per_interval_with_address_agent_topics_and_count()
    {
        var sink = new LogSink();
        await using var node = await OpsNode.StartAsync(SlowClientScenario.NodeSettings, builder => builder.Logging.AddProvider(sink));
        await using var scenario = await SlowClientScenario.StartAsync(node, "warned");

        await scenario.PublishUntilTheStalledClientDropsAsync(extraBatches: 0);
        var stalled = await scenario.PublishUntilAsync(s => s.Dropped > scenario.StalledWhenDropping!.Dropped + SlowClientScenario.MailboxEvents);

        // Everything logged before this marker has reached the provider once the marker has.
        var marker = Guid.NewGuid().ToString("N");
        Logging.GetLogger(node.System, "ops-test").Warning("Marker {Marker}", marker);
        await LogPipelineSpec.AwaitEntryAsync(sink, e => e.Message.Contains(marker, StringComparison.Ordinal));

        var warning = Assert.Single(sink.Entries, e => e.Message.Contains(Template, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(typeof(Fanout.Subscribers.SubscriberActor).FullName, warning.Category);
        Assert.Equal(stalled.Id, warning.Properties["SubscriberId"]?.ToString());
        Assert.Equal("127.0.0.1", warning.Properties["RemoteAddress"]?.ToString());
        Assert.Equal(SlowClientScenario.StalledAgent, warning.Properties["UserAgent"]?.ToString());
        Assert.Equal(scenario.Topic, warning.Properties["Topics"]?.ToString());
        Assert.Equal("1", warning.Properties["Dropped"]?.ToString());
    }
}
