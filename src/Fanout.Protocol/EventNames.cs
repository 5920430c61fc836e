namespace Fanout.Protocol;

/// <summary>The SSE <c>event:</c> names of the stream: control events and the publish default.</summary>
public static class EventNames
{
    /// <summary>Always the first frame: carries the starting cursor, <c>retry:</c> and a <see cref="ConnectedPayload"/>.</summary>
    public const string Connected = "fanout.connected";

    /// <summary>In place of a run of events this subscriber did not get; a <see cref="LaggedPayload"/>, no <c>id:</c>.</summary>
    public const string Lagged = "fanout.lagged";

    /// <summary>The cursor could not be honoured for a topic; a <see cref="ResetPayload"/>.</summary>
    public const string Reset = "fanout.reset";

    /// <summary>The node is going away; reconnect after the (jittered) <c>retry:</c>; a <see cref="ShutdownPayload"/>.</summary>
    public const string Shutdown = "fanout.shutdown";

    /// <summary>The type of an event published without one.</summary>
    public const string DefaultType = "message";

    /// <summary>Event types starting with this prefix are reserved for control events.</summary>
    public const string ReservedPrefix = "fanout.";

    /// <summary>The comment line a node writes on an idle stream (not an event; parsers skip it).</summary>
    public const string KeepaliveComment = "keepalive";

    /// <summary>Whether <paramref name="eventType"/> names a control event rather than a published one.</summary>
    public static bool IsControl(string? eventType) =>
        eventType is not null && eventType.StartsWith(ReservedPrefix, StringComparison.Ordinal);
}
