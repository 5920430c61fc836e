using Akka.Event;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Fanout.Operations.Tests;

/// <summary>A slow subscriber is named in a warning when it starts dropping, rate-limited (issue 6).</summary>
public sealed class SlowSubscriberWarningSpec
{
    private const string Template = "Slow subscriber";

    /// <summary>Short enough to see a second interval, long enough to publish many batches inside one.</summary>
    private const int IntervalSeconds = 3;

    /// <summary>
    /// Akka's logger actor delivers a warning a little after it was raised, later on a busy
    /// machine. Without the rate limit warnings would come milliseconds apart, so half the
    /// interval of slack still tells the two apart.
    /// </summary>
    private static readonly TimeSpan DeliverySlack = TimeSpan.FromSeconds(IntervalSeconds / 2.0);

    [Fact]
    public async Task A_subscriber_that_starts_dropping_is_named_once_per_interval_with_address_agent_topics_and_count()
    {
        var sink = new LogSink();
        await using var node = await OpsNode.StartAsync(
            [.. SlowClientScenario.NodeSettings, $"--Fanout:Subscriber:SlowWarningSeconds={IntervalSeconds}"],
            builder => builder.Logging.AddProvider(sink));
        await using var scenario = await SlowClientScenario.StartAsync(node, "warned");

        await scenario.PublishUntilTheStalledClientDropsAsync(extraBatches: 0);

        // Keep it dropping until the next interval has passed and it is named again.
        var stalled = await scenario.PublishUntilAsync(_ => Warnings(sink).Count >= 2);
        var marker = Guid.NewGuid().ToString("N");
        Logging.GetLogger(node.System, "ops-test").Warning("Marker {Marker}", marker);
        await LogPipelineSpec.AwaitEntryAsync(sink, e => e.Message.Contains(marker, StringComparison.Ordinal));

        var warnings = Warnings(sink);
        var first = warnings[0];
        Assert.Equal(LogLevel.Warning, first.Level);
        Assert.Equal(typeof(Fanout.Subscribers.SubscriberActor).FullName, first.Category);
        Assert.Equal(stalled.Id, first.Properties["SubscriberId"]?.ToString());
        Assert.Equal("127.0.0.1", first.Properties["RemoteAddress"]?.ToString());
        Assert.Equal(SlowClientScenario.StalledAgent, first.Properties["UserAgent"]?.ToString());
        Assert.Equal(scenario.Topic, first.Properties["Topics"]?.ToString());
        Assert.Equal("1", first.Properties["Dropped"]?.ToString());

        // Later warnings count on (every drop since the start), and none came sooner than one
        // interval after the one before it, while drops happened all along.
        var dropped = warnings.Select(w => long.Parse(w.Properties["Dropped"]!.ToString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(dropped.Zip(dropped.Skip(1), (first, second) => (First: first, Second: second)), pair => Assert.True(pair.Second > pair.First + SlowClientScenario.MailboxEvents, $"dropped so far: {string.Join(", ", dropped)}"));
        Assert.All(warnings.Zip(warnings.Skip(1), (first, second) => (First: first, Second: second)), pair => Assert.True(
            pair.Second.ReceivedAt - pair.First.ReceivedAt >= TimeSpan.FromSeconds(IntervalSeconds) - DeliverySlack,
            $"warnings {(pair.Second.ReceivedAt - pair.First.ReceivedAt).TotalSeconds:0.00} s apart; the interval is {IntervalSeconds} s"));
        Assert.True(stalled.Dropped >= dropped[^1], "the admin view counts at least what the last warning said");
    }

    private static List<LoggedEntry> Warnings(LogSink sink) =>
        [.. sink.Entries.Where(e => e.Message.Contains(Template, StringComparison.Ordinal))];
}
