namespace Fanout.Client;

/// <summary>What a node answered to one published event.</summary>
/// <param name="Topic">The topic published to.</param>
/// <param name="Seq">The event's position in the topic.</param>
/// <param name="Id">The event's cursor: a subscription resumed from it starts after this event.</param>
/// <param name="Duplicate">True when the event's key was seen before: nothing was appended, and these are the first event's seq and id.</param>
public sealed record PublishResult(string Topic, long Seq, string Id, bool Duplicate = false);
