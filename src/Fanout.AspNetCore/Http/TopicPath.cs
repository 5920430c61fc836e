using Fanout.Protocol;

namespace Fanout.AspNetCore.Http;

/// <summary>What a path below <c>/topics/</c> addresses.</summary>
public enum TopicResource
{
    Topic,
    Events,
    Batch,
}

/// <summary>
/// Splits the path below <c>/topics/</c> into topic and resource. A topic's '/' may be
/// written raw or as %2F (the server hands %2F through undecoded, so both are read here).
/// </summary>
public static class TopicPath
{
    private const string EventsSuffix = "/events";
    private const string BatchSuffix = "/events:batch";

    public static bool TryParse(string rawRest, out string topic, out TopicResource resource, out string? problem)
    {
        resource = TopicResource.Topic;
        var rest = rawRest;
        if (rest.EndsWith(BatchSuffix, StringComparison.Ordinal))
        {
            resource = TopicResource.Batch;
            rest = rest[..^BatchSuffix.Length];
        }
        else if (rest.EndsWith(EventsSuffix, StringComparison.Ordinal))
        {
            resource = TopicResource.Events;
            rest = rest[..^EventsSuffix.Length];
        }

        topic = rest.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        problem = TopicName.Validate(topic);
        return problem is null;
    }
}
