namespace Fanout.Protocol;

/// <summary>The <c>reason</c> values of <c>fanout.reset</c>.</summary>
public static class ResetReasons
{
    /// <summary>History no longer reaches back to the cursor.</summary>
    public const string CursorExpired = "cursor-expired";

    /// <summary>The topic restarted in a new epoch (its store lost it, or the memory store restarted it).</summary>
    public const string EpochChanged = "epoch-changed";

    /// <summary>The cursor is unparsable, names a different number of topics, or is past the topic's last event.</summary>
    public const string CursorInvalid = "cursor-invalid";

    /// <summary>Every reason a node sends.</summary>
    public static IReadOnlyList<string> All { get; } = [CursorExpired, EpochChanged, CursorInvalid];
}
