namespace Fanout.Subscribers;

/// <summary>The <c>reason</c> values of <c>fanout.reset</c>.</summary>
public static class ResetReason
{
    /// <summary>The cursor's events are no longer in the topic's history.</summary>
    public const string CursorExpired = Fanout.Protocol.ResetReasons.CursorExpired;

    /// <summary>The topic restarted (its shard moved or it was passivated) since the cursor was issued.</summary>
    public const string EpochChanged = Fanout.Protocol.ResetReasons.EpochChanged;

    /// <summary>The cursor could not be parsed, or points past the topic's last event.</summary>
    public const string CursorInvalid = Fanout.Protocol.ResetReasons.CursorInvalid;
}
