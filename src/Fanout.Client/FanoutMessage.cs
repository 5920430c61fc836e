namespace Fanout.Client;

/// <summary>One event of a batch publish.</summary>
/// <param name="Data">The data: any value the client's JSON options can write (a <see cref="System.Text.Json.JsonElement"/> is sent as is; null as JSON null).</param>
/// <param name="Type">The event type; null for the node's default, <c>message</c>.</param>
/// <param name="Key">An idempotency key: publishing it again appends nothing.</param>
public sealed record FanoutMessage(object? Data, string? Type = null, string? Key = null);
