using System.Text;

namespace Fanout.AspNetCore.Auth;

/// <summary>
/// Who may publish and subscribe, bound from <c>Fanout:Auth</c>. Auth is on as soon as a
/// signing key or an authority is configured; without either every client may do everything.
/// </summary>
public sealed class AuthSettings
{
    /// <summary>Shortest HS256 key accepted, in UTF-8 bytes (RFC 7518 §3.2: at least the hash size).</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>HS256 key (UTF-8 text) that signs bearer tokens.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Further HS256 keys accepted alongside <see cref="SigningKey"/>: for key rotation.</summary>
    public string[] SigningKeys { get; set; } = [];

    /// <summary>OIDC authority whose discovery document and JWKS sign tokens.</summary>
    public string? Authority { get; set; }

    /// <summary>Lets an <see cref="Authority"/> be reached over plain HTTP (development only).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>When set, a token's <c>aud</c> must contain it.</summary>
    public string? Audience { get; set; }

    /// <summary>When set, a token's <c>iss</c> must equal it (an authority supplies its own).</summary>
    public string? Issuer { get; set; }

    /// <summary>Topic patterns (<c>name</c>, <c>prefix/*</c>, <c>*</c>) anyone may subscribe to, with or without a token.</summary>
    public string[] PublicTopics { get; set; } = [];

    /// <summary>Development switch: clients without a token may publish to any topic.</summary>
    public bool AllowAnonymousPublish { get; set; }

    /// <summary>Tolerance for clock differences when checking <c>exp</c> and <c>nbf</c>.</summary>
    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>An SSE stream ends when the token that opened it expires; the client reconnects with a fresh one.</summary>
    public bool EndStreamsAtTokenExpiry { get; set; } = true;

    public bool Enabled => AllSigningKeys().Any() || !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<string> AllSigningKeys() =>
        new[] { SigningKey }.Concat(SigningKeys).Where(k => !string.IsNullOrEmpty(k)).Select(k => k!);

    /// <summary>One readable line per setting that cannot start a node; empty when all can.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var key in AllSigningKeys())
        {
            var bytes = Encoding.UTF8.GetByteCount(key);
            if (bytes < MinSigningKeyBytes)
            {
                yield return $"Fanout:Auth:SigningKey(s): an HS256 key must be at least {MinSigningKeyBytes} bytes of UTF-8 text; one has {bytes}.";
            }
        }

        if (!string.IsNullOrWhiteSpace(Authority)
            && (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority)
                || (authority.Scheme != Uri.UriSchemeHttps && RequireHttpsMetadata)))
        {
            yield return "Fanout:Auth:Authority must be an absolute https URL (plain http only with Fanout:Auth:RequireHttpsMetadata=false).";
        }

        TopicPatternSet.Parse(PublicTopics, out var rejected);
        foreach (var pattern in rejected)
        {
            yield return $"Fanout:Auth:PublicTopics entry '{pattern}' is not a topic name, 'prefix/*' or '*'.";
        }
    }
}
