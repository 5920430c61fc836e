using System.Text;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// The Mercure endpoint (<c>/.well-known/mercure</c>), bound from <c>Fanout:Mercure</c>.
/// Publishing needs <see cref="PublisherJwtKey"/>; subscribers' tokens are checked with
/// <see cref="SubscriberJwtKey"/>, or with the publisher key when only that one is set (one
/// key may serve both, as Mercure's <c>jwt_key</c> does).
/// </summary>
public sealed class MercureSettings
{
    /// <summary>The subsection of <c>Fanout</c> these settings bind from.</summary>
    public const string SectionName = "Mercure";

    /// <summary>Shortest HS256 key accepted, in UTF-8 bytes (RFC 7518 §3.2: at least the hash size).</summary>
    public const int MinKeyBytes = 32;

    /// <summary>HS256 key (UTF-8 text) that signs publishers' tokens; unset: the endpoint takes no publish.</summary>
    public string? PublisherJwtKey { get; set; }

    /// <summary>HS256 key (UTF-8 text) that signs subscribers' tokens; unset: <see cref="PublisherJwtKey"/>.</summary>
    public string? SubscriberJwtKey { get; set; }

    /// <summary>Subscribers without a token get public updates (with one they may get private ones too).</summary>
    public bool Anonymous { get; set; }

    /// <summary>The subscriptions API (<c>/.well-known/mercure/subscriptions</c>) and subscription events.</summary>
    public bool Subscriptions { get; set; }

    /// <summary>Origins (<c>https://app.example.com</c>, or <c>*</c>) whose browsers may use the endpoint, with credentials.</summary>
    public string[] CorsOrigins { get; set; } = [];

    public bool CanPublish => !string.IsNullOrEmpty(PublisherJwtKey);

    /// <summary>The key subscribers' tokens are checked with, or null when no key is set at all.</summary>
    public string? EffectiveSubscriberKey => string.IsNullOrEmpty(SubscriberJwtKey) ? NullIfEmpty(PublisherJwtKey) : SubscriberJwtKey;

    /// <summary>One readable line per setting that cannot start a node; empty when all can.</summary>
    public IEnumerable<string> Validate()
    {
        const string at = "Fanout:Mercure:";
        foreach (var (name, key) in new[] { ("PublisherJwtKey", PublisherJwtKey), ("SubscriberJwtKey", SubscriberJwtKey) })
        {
            if (!string.IsNullOrEmpty(key) && Encoding.UTF8.GetByteCount(key) is var bytes && bytes < MinKeyBytes)
            {
                yield return $"{at}{name}: an HS256 key must be at least {MinKeyBytes} bytes of UTF-8 text; it has {bytes}.";
            }
        }

        foreach (var origin in CorsOrigins)
        {
            if (origin != "*" && !IsOrigin(origin))
            {
                yield return $"{at}CorsOrigins entry '{origin}' is not an origin (scheme://host[:port], no path) or '*'.";
            }
        }
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.GetLeftPart(UriPartial.Authority).Equals(origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
