namespace Fanout.Protocol;

/// <summary>The HTTP paths, headers and query parameters of the contract.</summary>
public static class FanoutPaths
{
    /// <summary>The header that carries a resume cursor.</summary>
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>The query parameter that carries a resume cursor, for clients that cannot set headers.</summary>
    public const string LastEventIdQuery = "lastEventId";

    /// <summary>The query parameter naming one topic of a multi-topic stream (repeated).</summary>
    public const string TopicQuery = "topic";

    /// <summary>The media type of an SSE stream.</summary>
    public const string EventStreamMediaType = "text/event-stream";

    /// <summary>The media type of a problem answer.</summary>
    public const string ProblemMediaType = "application/problem+json";

    /// <summary><c>/topics/{topic}/events</c>: publish one event (POST) or stream one topic (GET). The topic's <c>/</c> stay raw.</summary>
    public static string TopicEvents(string topic) => $"/topics/{EscapeTopic(topic)}/events";

    /// <summary><c>/topics/{topic}/events:batch</c>: publish an array of events.</summary>
    public static string TopicBatch(string topic) => $"/topics/{EscapeTopic(topic)}/events:batch";

    /// <summary><c>/topics/{topic}</c>: one topic's state.</summary>
    public static string Topic(string topic) => $"/topics/{EscapeTopic(topic)}";

    /// <summary><c>/events?topic=a&amp;topic=b</c>: one stream over several topics.</summary>
    public static string MultiTopicEvents(IEnumerable<string> topics) =>
        "/events?" + string.Join('&', topics.Select(t => $"{TopicQuery}={Uri.EscapeDataString(t)}"));

    /// <summary>
    /// A valid topic name is already URL-safe except for <c>:</c>, which is legal in a path
    /// segment too; escaping segment by segment keeps the <c>/</c> raw, as the contract shows
    /// (<c>/topics/orders/1/events</c>), and guards names that were not validated.
    /// </summary>
    private static string EscapeTopic(string topic) =>
        string.Join('/', topic.Split('/').Select(segment => Uri.EscapeDataString(segment).Replace("%3A", ":", StringComparison.Ordinal)));
}
