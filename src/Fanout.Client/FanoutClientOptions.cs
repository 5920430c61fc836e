using System.Text.Json;

namespace Fanout.Client;

/// <summary>Settings of a <see cref="FanoutClient"/>; <see cref="Validate"/> names every problem.</summary>
public sealed class FanoutClientOptions
{
    /// <summary>The node (or load balancer) to talk to, e.g. <c>http://127.0.0.1:8080</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Called before every request and every reconnect; a non-null answer is sent as
    /// <c>Authorization: Bearer &lt;token&gt;</c>. Null when the node runs without auth.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? TokenProvider { get; set; }

    /// <summary>
    /// How long one call may take, its retries and their waits included (for a stream: until
    /// its response headers). Default 60 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A stream silent for this long (no event, no keepalive) counts as a dead connection and
    /// is reopened. Default 45 s: three of the node's 15 s heartbeat intervals.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>The wait before a reconnect while the node named no <c>retry:</c>. Default 3 s.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>No reconnect waits longer than this, whatever the node's <c>retry:</c> says. Default 60 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Failed reconnects in a row (no stream opened) after which the subscription fails with
    /// the last error. Default 20.
    /// </summary>
    public int MaxReconnectAttempts { get; set; } = 20;

    /// <summary>Retries of one request answered 429/503 (or lost) when a retry is safe. Default 3; 0 turns retries off.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry's wait when the answer has no <c>Retry-After</c> (then exponential, jittered). Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A <c>Retry-After</c> longer than this is cut to it, so one answer cannot park a caller. Default 10 s.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How event data is written on publish and read by <see cref="FanoutEvent.Deserialize{T}(JsonSerializerOptions?)"/>. Default: web (camelCase).</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>One readable line per setting that is wrong, naming it; empty when all are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (BaseAddress is null)
        {
            yield return "FanoutClientOptions.BaseAddress is required (e.g. http://127.0.0.1:8080).";
        }
        else if (!BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttp && BaseAddress.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"FanoutClientOptions.BaseAddress must be an absolute http or https URI, not '{BaseAddress}'.";
        }

        if (RequestTimeout <= TimeSpan.Zero && RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            yield return "FanoutClientOptions.RequestTimeout must be positive.";
        }

        if (HeartbeatTimeout <= TimeSpan.Zero)
        {
            yield return "FanoutClientOptions.HeartbeatTimeout must be positive.";
        }

        if (ReconnectDelay < TimeSpan.Zero)
        {
            yield return "FanoutClientOptions.ReconnectDelay may not be negative.";
        }

        if (MaxReconnectDelay < ReconnectDelay)
        {
            yield return "FanoutClientOptions.MaxReconnectDelay must be at least ReconnectDelay.";
        }

        if (MaxReconnectAttempts < 1)
        {
            yield return "FanoutClientOptions.MaxReconnectAttempts must be at least 1.";
        }

        if (MaxRetryAttempts is < 0 or > 100)
        {
            yield return "FanoutClientOptions.MaxRetryAttempts must be between 0 and 100.";
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            yield return "FanoutClientOptions.RetryDelay may not be negative.";
        }

        if (MaxRetryAfter < TimeSpan.Zero)
        {
            yield return "FanoutClientOptions.MaxRetryAfter may not be negative.";
        }
    }

    internal void EnsureValid()
    {
        var problems = Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
    }
}
