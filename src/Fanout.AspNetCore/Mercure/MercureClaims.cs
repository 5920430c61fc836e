using System.Text.Json;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// What a valid Mercure token grants: <c>mercure.publish</c> and <c>mercure.subscribe</c>
/// selectors (null when the claim has no such key), <c>mercure.payload</c>, and the
/// token's <c>exp</c> (null without one).
/// </summary>
public sealed record MercureClaims(
    IReadOnlyList<string>? Publish,
    IReadOnlyList<string>? Subscribe,
    JsonElement? Payload,
    DateTimeOffset? ExpiresAt);

/// <summary>The outcome of reading a request's Mercure token.</summary>
public abstract record MercureAuthorization
{
    /// <summary>No token was presented.</summary>
    public sealed record Anonymous : MercureAuthorization;

    /// <summary>A token was presented and is not valid (bad signature, expired, malformed, wrong place).</summary>
    public sealed record Invalid(string Reason) : MercureAuthorization;

    public sealed record Valid(MercureClaims Claims) : MercureAuthorization;
}
