using System.Text;

namespace Fanout.AspNetCore.Diagnostics;

/// <summary>
/// Who may scrape <c>GET /metrics</c>, bound from <c>Fanout:Metrics</c> (beside
/// <c>MaxTopicTags</c>, which the core reads). Series carry topic names, so with auth on
/// anonymous callers are refused: a scraper sends <see cref="ScrapeToken"/> or a token with
/// the admin grant.
/// </summary>
public sealed class MetricsEndpointSettings
{
    public const string Section = "Fanout:Metrics";

    /// <summary>The subsection of <c>Fanout</c> these settings bind from.</summary>
    public const string SectionName = "Metrics";

    /// <summary>Shortest scrape token accepted, in UTF-8 bytes (as for signing keys: not guessable).</summary>
    public const int MinScrapeTokenBytes = 32;

    /// <summary>
    /// A static bearer token a scraper sends (<c>Authorization: Bearer &lt;ScrapeToken&gt;</c>,
    /// Prometheus' <c>authorization.credentials_file</c>). When set it is required, auth on or off.
    /// </summary>
    public string? ScrapeToken { get; set; }

    /// <summary>
    /// Serve <c>/metrics</c> to anyone even with auth on: only where callers cannot reach the
    /// node's HTTP port directly (a proxy routes just the topic paths to them).
    /// </summary>
    public bool AllowAnonymous { get; set; }

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(ScrapeToken) && Encoding.UTF8.GetByteCount(ScrapeToken) < MinScrapeTokenBytes)
        {
            yield return $"{Section}:ScrapeToken must be at least {MinScrapeTokenBytes} bytes of UTF-8 text (e.g. openssl rand -base64 48).";
        }
    }
}
