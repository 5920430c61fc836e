using System.Diagnostics.CodeAnalysis;

namespace Fanout.Topics;

/// <summary>
/// The topic grammar as the core uses it. The rules themselves are the wire contract's
/// (<see cref="Protocol.TopicName"/>, which clients share); this keeps the core's callers
/// on one name while they move to the protocol's type.
/// </summary>
public static class TopicName
{
    public const int MaxLength = Protocol.TopicName.MaxLength;

    public static bool IsValid(string? topic) => Protocol.TopicName.IsValid(topic);

    public static bool TryValidate(string? topic, [NotNullWhen(false)] out string? problem) =>
        Protocol.TopicName.TryValidate(topic, out problem);

    /// <summary>Why <paramref name="topic"/> is not a topic name, or null when it is one.</summary>
    public static string? Validate(string? topic) => Protocol.TopicName.Validate(topic);
}
