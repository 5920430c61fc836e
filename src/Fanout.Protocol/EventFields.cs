namespace Fanout.Protocol;

/// <summary>The rules of a published event's <c>type</c> and <c>key</c> (its <c>data</c> may be any JSON value).</summary>
public static class EventFields
{
    /// <summary>The longest event type, in characters.</summary>
    public const int MaxTypeLength = 100;

    /// <summary>The longest idempotency key, in characters.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>1–100 characters of <c>A-Z a-z 0-9 . _ - : /</c>, not starting with <c>fanout.</c> (reserved for control events).</summary>
    public static bool IsValidType(string? type) =>
        type is { Length: > 0 and <= MaxTypeLength }
        && !type.StartsWith(EventNames.ReservedPrefix, StringComparison.Ordinal)
        && type.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-' or ':' or '/');

    /// <summary>1–200 characters, none of them a control character.</summary>
    public static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && !key.Any(char.IsControl);
}
