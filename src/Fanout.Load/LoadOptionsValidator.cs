using System.Net;

namespace Fanout.Load;

/// <summary>Checks a run's options; above all that every URL points at this machine's loopback.</summary>
public static class LoadOptionsValidator
{
    public static IReadOnlyList<string> Validate(LoadOptions options)
    {
        var problems = new List<string>();
        CheckUrl(problems, "publish URL", options.PublishUrl, options.Channel);
        if (options.SubscribeUrls.Count == 0)
        {
            problems.Add("At least one subscribe URL is needed.");
        }

        foreach (var url in options.SubscribeUrls)
        {
            CheckUrl(problems, "subscribe URL", url, options.Channel);
        }

        if (options.WarmupUrl is not null)
        {
            CheckUrl(problems, "warm-up URL", options.WarmupUrl, options.Channel);
        }

        if (!options.PublishBody.Contains(Placeholders.Payload, StringComparison.Ordinal))
        {
            problems.Add($"The publish body must contain {Placeholders.Payload}: receivers read seq and send time from it.");
        }

        if (options.Subscribers < 0 || options.Slow < 0 || options.Slow > options.Subscribers)
        {
            problems.Add("Subscribers must be >= 0 and slow subscribers at most that many.");
        }

        if (options.Events < 0 || options.InFlight < 1 || options.ConnectConcurrency < 1)
        {
            problems.Add("Events must be >= 0, in-flight and connect concurrency >= 1.");
        }

        if (options.Topics < 1)
        {
            problems.Add("Topics must be >= 1.");
        }
        else if (options.Topics > 1 && options.Subscribers > 0 && options.SubscribeUrls.Any(url => url.Contains(Placeholders.Channel, StringComparison.Ordinal)))
        {
            problems.Add("With more than one topic a subscriber must see them all: set subscribers to 0 (the resume check reads the topics back) or subscribe to every topic (a subscribe URL without {channel}, e.g. Mercure's --topic-selector '*').");
        }

        if (options.CheckTopics < 0 || options.CheckTopics > options.Topics || options.CheckSeconds <= 0 || options.CheckConcurrency < 1 || options.CheckPublished < 0)
        {
            problems.Add("Checked topics must be between 0 and the number of topics, check seconds positive, check concurrency >= 1 and the events published before >= 0.");
        }

        if (options.PayloadBytes < Payload.MaxHeaderBytes)
        {
            problems.Add($"Payload must be at least {Payload.MaxHeaderBytes} bytes (it carries seq and send time).");
        }

        if (options.MaxSeconds <= 0 || options.PublishSeconds <= 0 || options.DrainIdleSeconds <= 0)
        {
            problems.Add("Max, publish and drain-idle seconds must be positive.");
        }

        if (options.Batch < 1)
        {
            problems.Add("Batch must be >= 1 event per request.");
        }
        else if (options.Batch > 1 && options.Topics > 1)
        {
            problems.Add("A batch goes to one topic: --batch needs --topics 1.");
        }

        if (options.Rate < 0 || options.SlowRate < 0 || options.HoldSeconds < 0)
        {
            problems.Add("Rates and hold seconds may not be negative.");
        }

        if (options.HeartbeatWithinSeconds < 0)
        {
            problems.Add("Heartbeat-within seconds may not be negative.");
        }
        else if (options.HeartbeatWithinSeconds > 0 && (options.HoldSeconds < options.HeartbeatWithinSeconds || options.Fast + (options.Stalled ? 0 : options.Slow) == 0))
        {
            problems.Add("--heartbeat-within checks subscribers that read during the hold: it needs a --hold at least as long as the bound and subscribers that are not stalled.");
        }

        return problems;
    }

    /// <summary>Only literal loopback addresses and <c>localhost</c>: no name is resolved, so nothing else can slip in.</summary>
    public static bool IsLoopback(Uri uri) => uri.HostNameType switch
    {
        UriHostNameType.IPv4 or UriHostNameType.IPv6 => IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip),
        UriHostNameType.Dns => uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static void CheckUrl(List<string> problems, string what, string template, string channel)
    {
        var expanded = template.Replace(Placeholders.Channel, channel, StringComparison.Ordinal)
            .Replace(Placeholders.Seq, "1", StringComparison.Ordinal);
        if (!Uri.TryCreate(expanded, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"The {what} '{template}' is not an absolute http(s) URL.");
            return;
        }

        if (!IsLoopback(uri))
        {
            problems.Add($"The {what} '{template}' does not point at loopback (127.0.0.0/8, [::1] or localhost); this tool loads only this machine.");
        }
    }
}
