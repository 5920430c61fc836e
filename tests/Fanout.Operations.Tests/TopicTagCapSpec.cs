using System.Diagnostics.Metrics;
using Fanout.Diagnostics;
using Fanout.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Operations.Tests;

/// <summary>The <c>topic</c> tag keeps the first MaxTopicTags topic names and folds the rest into <c>_other</c>.</summary>
public sealed class TopicTagCapSpec
{
    [Fact]
    public void Topics_beyond_the_cap_are_counted_as_other()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new FanoutMetrics(factory, new MetricsOptions { MaxTopicTags = 2 });
        var published = new List<(string Topic, long Events)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "fanout.events.published")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            published.Add(((string)tags.ToArray().Single(t => t.Key == FanoutMetrics.TopicTag).Value!, value)));
        listener.Start();

        metrics.Published("a", 1);
        metrics.Published("b", 2);
        metrics.Published("c", 3);
        metrics.Published("a", 4);
        metrics.Published("d", 5);

        // Each tag's series starts at 0 the first time it is used, _other's included.
        Assert.Equal(
            [("a", 0L), ("a", 1L), ("b", 0L), ("b", 2L), (FanoutMetrics.OtherTopic, 0L), (FanoutMetrics.OtherTopic, 3L), ("a", 4L), (FanoutMetrics.OtherTopic, 5L)],
            published);
    }
}
