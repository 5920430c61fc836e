namespace Fanout.Subscribers;

/// <summary>Starts the attach sequence; sent by the actor to itself so it runs as a message.</summary>
internal sealed record StartSubscription
{
    public static readonly StartSubscription Instance = new();
}

/// <summary>The stream behind the subscriber ended (client gone, write failed or timed out).</summary>
internal sealed record StreamClosed
{
    public static readonly StreamClosed Instance = new();
}

/// <summary>
/// Ends a subscription from the server side: the subscriber sends a final frame, if any,
/// completes its stream and stops.
/// </summary>
public sealed record CloseSubscription(string Reason, byte[]? FinalFrame);
