using System.CommandLine;
using Fanout.Load.Reporting;

namespace Fanout.Load.Cli;

/// <summary>The command line: options, presets and the action that runs one load and prints its summary.</summary>
public static class LoadCommand
{
    private static readonly Option<string> Server = new("--server")
    {
        Description = "Preset templates for 'fanout', 'nchan' or 'mercure' (a Mercure hub, e.g. Fanout's /.well-known/mercure); explicit templates override them.",
        DefaultValueFactory = _ => "fanout",
    };

    private static readonly Option<string> Base = new("--base")
    {
        Description = "Base URL substituted for {base} in templates (loopback only).",
        DefaultValueFactory = _ => "http://127.0.0.1:8080",
    };

    private static readonly Option<string?> PublishUrl = new("--publish-url") { Description = "Publish URL template ({base}, {channel}, {seq})." };
    private static readonly Option<string?> PublishBody = new("--publish-body") { Description = "Publish body template; must contain {payload}." };
    private static readonly Option<string?> ContentType = new("--content-type") { Description = "Content-Type of publish requests." };

    private static readonly Option<string[]> SubscribeUrl = new("--subscribe-url")
    {
        Description = "Subscribe URL template; repeat it to spread subscribers over several nodes.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string?> TopicSelector = new("--topic-selector") { Description = "Mercure: subscribe with this topic selector (e.g. 'https://example.com/load/{id}' or '*'; {channel} is the run's) instead of the exact topic IRI." };
    private static readonly Option<string?> PublishToken = new("--publish-token") { Description = "Sent as 'Authorization: Bearer <token>' with every publish." };
    private static readonly Option<string?> SubscribeToken = new("--subscribe-token") { Description = "Sent as 'Authorization: Bearer <token>' by every subscriber and the resume check." };
    private static readonly Option<bool> Warmup = new("--warmup") { Description = "Send one plain GET on each subscriber's connection before subscribing." };
    private static readonly Option<string?> WarmupUrl = new("--warmup-url") { Description = "Warm-up URL template (defaults to the preset's)." };
    private static readonly Option<string?> ReadyEvent = new("--ready-event") { Description = "SSE event type that marks a subscription live ('' for: the headers do)." };
    private static readonly Option<string?> Channel = new("--channel") { Description = "Channel/topic name; default a fresh one per run." };
    private static readonly Option<int> Topics = new("--topics") { Description = "Spread the events over this many topics, {channel}-0 .. {channel}-(N-1), event seq to topic (seq-1) % N; more than 1 needs -n 0.", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> CheckTopics = new("--check-topics") { Description = "After publishing, resume this many topics (first to last, evenly) from --check-cursor; each must return exactly its events, no reset." };
    private static readonly Option<string> CheckCursor = new("--check-cursor") { Description = "Last-Event-ID the resume check sends.", DefaultValueFactory = _ => "0-0" };
    private static readonly Option<long?> CheckPublished = new("--check-published") { Description = "The check expects events 1..N on the topics (published before, e.g. ahead of a restart); default: the ones this run sent." };
    private static readonly Option<double> CheckSeconds = new("--check-seconds") { Description = "Time one checked topic may take to return its events.", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> CheckConcurrency = new("--check-concurrency") { Description = "Topics the resume check reads at once.", DefaultValueFactory = _ => 16 };
    private static readonly Option<int> Subscribers = new("--subscribers", "-n") { Description = "SSE subscribers to open.", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Slow = new("--slow", "-k") { Description = "How many of them are slow (stalled, or paced by --slow-rate)." };
    private static readonly Option<double> SlowRate = new("--slow-rate") { Description = "Events/s a slow subscriber reads; 0 = stalled until publishing ends." };
    private static readonly Option<int> SlowReceiveBuffer = new("--slow-rcvbuf") { Description = "Socket receive buffer of slow subscribers in bytes (0 = OS default).", DefaultValueFactory = _ => 65536 };
    private static readonly Option<int> Events = new("--events", "-m") { Description = "Events to publish.", DefaultValueFactory = _ => 1000 };
    private static readonly Option<int> PayloadBytes = new("--payload", "-p") { Description = "Payload bytes per event.", DefaultValueFactory = _ => 512 };
    private static readonly Option<double> Rate = new("--rate") { Description = "Publishes per second (0 = as fast as --in-flight allows)." };
    private static readonly Option<int> InFlight = new("--in-flight") { Description = "Publish requests in flight at most.", DefaultValueFactory = _ => 16 };
    private static readonly Option<int> Batch = new("--batch") { Description = "Events per publish request (>1: a JSON array to the preset's batch endpoint; one topic).", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> ConnectConcurrency = new("--connect-concurrency") { Description = "Subscribers connecting at once.", DefaultValueFactory = _ => 64 };
    private static readonly Option<double> Hold = new("--hold") { Description = "Seconds to hold idle subscribers before publishing (RSS per connection)." };
    private static readonly Option<double> HeartbeatWithin = new("--heartbeat-within") { Description = "Seconds: every subscriber reading during the hold must hear a keepalive comment and never be silent longer than this (needs --hold at least as long; 0 = no check); a miss fails the run." };
    private static readonly Option<double> PublishSeconds = new("--publish-seconds") { Description = "Stop publishing after this many seconds.", DefaultValueFactory = _ => 60 };
    private static readonly Option<double> DrainIdle = new("--drain-idle") { Description = "Stop waiting for subscribers after this many seconds without progress.", DefaultValueFactory = _ => 5 };
    private static readonly Option<double> MaxSeconds = new("--max-seconds") { Description = "Hard bound on the whole run.", DefaultValueFactory = _ => 120 };
    private static readonly Option<int[]> ServerPid = new("--server-pid") { Description = "Server process to sample (RSS, CPU) with its descendants; repeatable." };
    private static readonly Option<double> ProgressEvery = new("--progress") { Description = "Seconds between progress lines on stderr (0 = none).", DefaultValueFactory = _ => 1 };

    public static RootCommand Create()
    {
        var root = new RootCommand("Fanout load generator: SSE subscribers and publishers against Fanout, nchan or any templated server on loopback; prints a one-line JSON summary.")
        {
            Server, Base, PublishUrl, PublishBody, ContentType, SubscribeUrl, TopicSelector, PublishToken, SubscribeToken, Warmup, WarmupUrl, ReadyEvent, Channel,
            Topics, CheckTopics, CheckCursor, CheckPublished, CheckSeconds, CheckConcurrency, Subscribers, Slow, SlowRate, SlowReceiveBuffer, Events, PayloadBytes, Rate, InFlight, Batch, ConnectConcurrency,
            Hold, HeartbeatWithin, PublishSeconds, DrainIdle, MaxSeconds, ServerPid, ProgressEvery,
        };
        root.SetAction(RunAsync);
        return root;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (ServerPreset.Named(parse.GetValue(Server)!) is not { } preset)
        {
            await Console.Error.WriteLineAsync("--server must be 'fanout', 'nchan' or 'mercure'.");
            return 2;
        }

        if (parse.GetValue(TopicSelector) is not null && (preset.SelectorSubscribeUrl is null || parse.GetValue(SubscribeUrl) is { Length: > 0 }))
        {
            await Console.Error.WriteLineAsync("--topic-selector needs the mercure preset and no --subscribe-url.");
            return 2;
        }

        if (parse.GetValue(Batch) > 1 && preset.PublishBatchUrl is null && parse.GetValue(PublishUrl) is null)
        {
            await Console.Error.WriteLineAsync($"--batch: the {parse.GetValue(Server)} preset has no batch endpoint (give --publish-url and --publish-body for one).");
            return 2;
        }

        var options = ToOptions(parse, preset);
        var problems = LoadOptionsValidator.Validate(options);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync(problem);
            }

            return 2;
        }

        var summary = await new LoadRun(options, Console.Error).RunAsync(cancellationToken);
        Console.Out.WriteLine(summary.ToJsonLine());

        // The summary is printed either way; the exit code tells scripts whether the run itself worked.
        return summary.Passed ? 0 : 1;
    }

    public static LoadOptions ToOptions(ParseResult parse, ServerPreset preset)
    {
        var baseUrl = parse.GetValue(Base)!.TrimEnd('/');
        string Resolve(string template) => template.Replace(Placeholders.Base, baseUrl, StringComparison.Ordinal);

        var subscribeUrls = parse.GetValue(SubscribeUrl) is { Length: > 0 } given ? given
            : parse.GetValue(TopicSelector) is { } selector && preset.SelectorSubscribeUrl is { } selectorUrl
                ? [selectorUrl.Replace(Placeholders.Selector, MercureTopics.Escape(selector), StringComparison.Ordinal)]
                : [preset.SubscribeUrl];
        var ready = parse.GetValue(ReadyEvent) ?? preset.ReadyEvent;
        return new LoadOptions
        {
            PublishUrl = Resolve(parse.GetValue(PublishUrl) ?? (parse.GetValue(Batch) > 1 ? preset.PublishBatchUrl : null) ?? preset.PublishUrl),
            PublishBody = parse.GetValue(PublishBody) ?? preset.PublishBody,
            PublishContentType = parse.GetValue(ContentType) ?? preset.PublishContentType,
            SubscribeUrls = subscribeUrls.Select(Resolve).ToList(),
            WarmupUrl = parse.GetValue(Warmup) ? Resolve(parse.GetValue(WarmupUrl) ?? preset.WarmupUrl) : null,
            ReadyEvent = string.IsNullOrEmpty(ready) ? null : ready,
            SeqFromEventId = preset.SeqFromEventId,
            PublishToken = parse.GetValue(PublishToken),
            SubscribeToken = parse.GetValue(SubscribeToken),
            Channel = parse.GetValue(Channel) ?? $"load-{DateTime.UtcNow:HHmmss}-{Random.Shared.Next(1000, 9999)}",
            Topics = parse.GetValue(Topics),
            CheckTopics = parse.GetValue(CheckTopics),
            CheckCursor = parse.GetValue(CheckCursor)!,
            CheckPublished = parse.GetValue(CheckPublished),
            CheckSeconds = parse.GetValue(CheckSeconds),
            CheckConcurrency = parse.GetValue(CheckConcurrency),
            Subscribers = parse.GetValue(Subscribers),
            Slow = parse.GetValue(Slow),
            SlowRate = parse.GetValue(SlowRate),
            SlowReceiveBuffer = parse.GetValue(SlowReceiveBuffer),
            Events = parse.GetValue(Events),
            PayloadBytes = parse.GetValue(PayloadBytes),
            Rate = parse.GetValue(Rate),
            InFlight = parse.GetValue(InFlight),
            Batch = parse.GetValue(Batch),
            ConnectConcurrency = parse.GetValue(ConnectConcurrency),
            HoldSeconds = parse.GetValue(Hold),
            HeartbeatWithinSeconds = parse.GetValue(HeartbeatWithin),
            PublishSeconds = parse.GetValue(PublishSeconds),
            DrainIdleSeconds = parse.GetValue(DrainIdle),
            MaxSeconds = parse.GetValue(MaxSeconds),
            ServerPids = parse.GetValue(ServerPid) ?? [],
            ProgressSeconds = parse.GetValue(ProgressEvery),
        };
    }
}
