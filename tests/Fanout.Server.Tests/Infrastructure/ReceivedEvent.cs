using System.Text.Json;

namespace Fanout.Server.Tests.Infrastructure;

/// <summary>One SSE event as a client saw it: id, event type, data and retry, if any.</summary>
public sealed record ReceivedEvent(string? Id, string Type, string Data, TimeSpan? Retry)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();

    /// <summary>The seq of a single-topic cursor id (<c>epoch-seq</c>).</summary>
    public long Seq => Cursors.Seq(Id ?? throw new InvalidOperationException($"Event '{Type}' has no id."));
}
