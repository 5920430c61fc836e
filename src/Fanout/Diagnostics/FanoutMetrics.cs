using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Cluster;
using Fanout.Hosting;

namespace Fanout.Diagnostics;

/// <summary>
/// Fanout's instruments, on a <see cref="System.Diagnostics.Metrics"/> meter named
/// <see cref="MeterName"/>: any listener (OpenTelemetry, dotnet-counters) can collect them.
/// One instance per node. Counters carry a <c>topic</c> tag whose cardinality is capped:
/// the first <see cref="MetricsOptions.MaxTopicTags"/> distinct topics keep their name,
/// every later one is counted under <see cref="OtherTopic"/>.
/// </summary>
public sealed class FanoutMetrics : IDisposable
{
    public const string MeterName = "Fanout";
    public const string TopicTag = "topic";
    public const string OtherTopic = "_other";
    public const string StatusTag = "status";

    private static readonly MemberStatus[] Statuses = Enum.GetValues<MemberStatus>();

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly int _maxTopicTags;
    private readonly ConcurrentDictionary<string, KeyValuePair<string, object?>> _topicTags = new(StringComparer.Ordinal);
    private readonly KeyValuePair<string, object?> _otherTopic = new(TopicTag, OtherTopic);
    private readonly object _tagGate = new();
    private readonly UpDownCounter<long> _subscribers;
    private readonly Counter<long> _subscriptions;
    private readonly Counter<long> _published;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _laggedSent;
    private readonly Histogram<int> _mailboxDepth;
    private readonly Histogram<double> _writeDuration;
    private volatile bool _topicTagsFull;
    private volatile Cluster? _cluster;

    /// <param name="meterFactory">The host's factory (scopes the meter to one service provider); null: a meter of its own.</param>
    public FanoutMetrics(IMeterFactory? meterFactory = null, MetricsOptions? options = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _maxTopicTags = Math.Max(0, (options ?? new MetricsOptions()).MaxTopicTags);

        _subscribers = _meter.CreateUpDownCounter<long>(
            "fanout.subscribers", "{subscriber}", "SSE subscribers connected to this node.");
        _subscriptions = _meter.CreateCounter<long>(
            "fanout.subscriptions.started", "{subscription}", "SSE subscriptions started on this node (its rate is subscriber churn).");
        _published = _meter.CreateCounter<long>(
            "fanout.events.published", "{event}", "Events accepted by topics living on this node (duplicates by key not counted).");
        _delivered = _meter.CreateCounter<long>(
            "fanout.events.delivered", "{event}", "Events handed to a subscriber's stream on this node.");
        _dropped = _meter.CreateCounter<long>(
            "fanout.events.dropped", "{event}", "Events a full subscriber mailbox discarded on this node.");
        _laggedSent = _meter.CreateCounter<long>(
            "fanout.lagged.sent", "{frame}", "fanout.lagged frames sent (each reports one run of lost events).");
        _mailboxDepth = _meter.CreateHistogram(
            "fanout.mailbox.depth",
            "{event}",
            "Events waiting in a subscriber's mailbox, sampled each time the subscriber takes one.",
            tags: null,
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096] });
        _writeDuration = _meter.CreateHistogram(
            "fanout.sse.write.duration",
            "s",
            "Time one batch of SSE frames took to write and flush to a client.",
            tags: null,
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
            });
        _meter.CreateObservableGauge(
            "fanout.cluster.members", ObserveMembers, "{member}", "Cluster members this node sees, by status.");
        _meter.CreateObservableGauge(
            "fanout.cluster.unreachable", ObserveUnreachable, "{member}", "Cluster members this node's failure detector marks unreachable.");
        ExportZeros();
    }

    /// <summary>
    /// Puts every counter and the subscriber gauge at 0 (untagged) for the listeners there are
    /// now: a series exists from the first scrape, not from the first event, so dashboards and
    /// <c>rate()</c> alerts see a fresh node (Prometheus' advice). Listeners drop measurements
    /// made before they listen, so the host calls this again once its exporter listens; adding
    /// 0 twice changes nothing. Each topic's series start at 0 the first time the topic is seen.
    /// </summary>
    public void ExportZeros()
    {
        _subscribers.Add(0);
        _subscriptions.Add(0);
        _published.Add(0);
        _delivered.Add(0);
        _dropped.Add(0);
        _laggedSent.Add(0);
    }

    /// <summary>For actors created without a host (tests, embedding without DI): an unscoped meter.</summary>
    public static FanoutMetrics Default { get; } = new();

    public void SubscriberStarted()
    {
        _subscribers.Add(1);
        _subscriptions.Add(1);
    }

    public void SubscriberStopped() => _subscribers.Add(-1);

    public void Published(string topic, int events) => _published.Add(events, TopicTagOf(topic));

    public void Delivered(string topic, int events) => _delivered.Add(events, TopicTagOf(topic));

    public void Dropped(string topic) => _dropped.Add(1, TopicTagOf(topic));

    public void LaggedSent(string topic) => _laggedSent.Add(1, TopicTagOf(topic));

    public void MailboxDepth(int events) => _mailboxDepth.Record(events);

    public void SseWrite(TimeSpan elapsed) => _writeDuration.Record(elapsed.TotalSeconds);

    /// <summary>Reports <paramref name="cluster"/>'s membership in the cluster gauges.</summary>
    public void ObserveCluster(Cluster cluster) => _cluster = cluster;

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private KeyValuePair<string, object?> TopicTagOf(string topic)
    {
        if (_topicTags.TryGetValue(topic, out var tag))
        {
            return tag;
        }

        if (_topicTagsFull)
        {
            return _otherTopic;
        }

        lock (_tagGate)
        {
            if (_topicTags.TryGetValue(topic, out tag))
            {
                return tag;
            }

            if (_topicTags.Count >= _maxTopicTags)
            {
                if (!_topicTagsFull)
                {
                    ZeroTopic(_otherTopic);
                }

                _topicTagsFull = true;
                return _otherTopic;
            }

            tag = new KeyValuePair<string, object?>(TopicTag, topic);
            ZeroTopic(tag);
            _topicTags[topic] = tag;
            return tag;
        }
    }

    /// <summary>A topic's every series exists from the moment the node first counts anything for it.</summary>
    private void ZeroTopic(KeyValuePair<string, object?> tag)
    {
        _published.Add(0, tag);
        _delivered.Add(0, tag);
        _dropped.Add(0, tag);
        _laggedSent.Add(0, tag);
    }

    private IEnumerable<Measurement<int>> ObserveMembers()
    {
        if (_cluster is not { } cluster)
        {
            return [];
        }

        var members = cluster.State.Members;
        return Statuses.Select(status => new Measurement<int>(
            members.Count(m => m.Status == status),
            new KeyValuePair<string, object?>(StatusTag, status.ToString().ToLowerInvariant())));
    }

    private IEnumerable<Measurement<int>> ObserveUnreachable() =>
        _cluster is { } cluster ? [new Measurement<int>(cluster.State.Unreachable.Count)] : [];
}
