using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fanout.Protocol;
using Microsoft.Extensions.Http.Resilience;

namespace Fanout.Client;

/// <summary>
/// Talks to a Fanout node: <see cref="PublishAsync"/> and <see cref="PublishBatchAsync"/>
/// publish, <see cref="SubscribeAsync(IEnumerable{string}, string?, CancellationToken)"/> reads one or several topics as one stream that
/// resumes by itself across dropped connections. Thread-safe; keep one per node address.
/// </summary>
public sealed class FanoutClient : IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> that <c>AddFanoutClient</c> registers with IHttpClientFactory.</summary>
    public const string HttpClientName = "Fanout.Client";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly Func<HttpClient> _http;
    private readonly HttpClient? _ownedHttp;
    private readonly Uri _base;

    /// <summary>A client of the node at <paramref name="baseAddress"/>, e.g. <c>new Uri("http://127.0.0.1:8080")</c>.</summary>
    /// <param name="baseAddress">The node's address; a path (<c>http://host/fanout/</c>) prefixes every request.</param>
    /// <param name="tokenProvider">Asked before every request and reconnect for a bearer token; null without auth.</param>
    public FanoutClient(Uri baseAddress, Func<CancellationToken, ValueTask<string?>>? tokenProvider = null)
        : this(new FanoutClientOptions { BaseAddress = baseAddress, TokenProvider = tokenProvider })
    {
    }

    /// <summary>A client with its own connection pool, set up by <paramref name="options"/>.</summary>
    public FanoutClient(FanoutClientOptions options)
    {
        options.EnsureValid();
        Options = options;
        _base = WithTrailingSlash(options.BaseAddress!);

        // Never decompress: a stream is never compressed, and buffering inflaters would
        // hold events back.
        HttpMessageHandler handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (options.TokenProvider is { } tokenProvider)
        {
            handler = new BearerTokenHandler(tokenProvider) { InnerHandler = handler };
        }

        handler = new ResilienceHandler(PublishRetry.Pipeline(options)) { InnerHandler = handler };
        _ownedHttp = new HttpClient(handler) { Timeout = options.RequestTimeout };
        _http = () => _ownedHttp;
    }

    /// <summary>A client whose HTTP clients come from elsewhere (IHttpClientFactory), already carrying retry and token handlers.</summary>
    internal FanoutClient(Func<HttpClient> http, FanoutClientOptions options)
    {
        options.EnsureValid();
        Options = options;
        _base = WithTrailingSlash(options.BaseAddress!);
        _http = http;
    }

    /// <summary>The settings this client runs with.</summary>
    public FanoutClientOptions Options { get; }

    /// <summary>
    /// Publishes one event to <paramref name="topic"/> and returns once the node stored it
    /// (its <c>202</c>). A <paramref name="key"/> makes the publish idempotent, which also lets
    /// the client retry it after a lost answer or a 503; without one only a 429 is retried.
    /// </summary>
    /// <param name="topic">The topic; <c>/</c> in it are sent raw (<c>/topics/orders/1/events</c>).</param>
    /// <param name="data">The data: anything the client's JSON options can write; a <see cref="JsonElement"/> is sent as is.</param>
    /// <param name="type">The event type; null for <c>message</c>.</param>
    /// <param name="key">An idempotency key; publishing it again appends nothing and answers <see cref="PublishResult.Duplicate"/>.</param>
    /// <param name="cancellationToken">Ends the wait; the event may still have been published.</param>
    /// <exception cref="FanoutProblemException">The node refused the event (status and title say why).</exception>
    public async Task<PublishResult> PublishAsync(
        string topic, object? data, string? type = null, string? key = null, CancellationToken cancellationToken = default)
    {
        EnsureTopic(topic);
        var body = new PublishRequest(ToElement(data), type, key);
        var answer = await PostAsync(
            FanoutPaths.TopicEvents(topic), body, FanoutJsonContext.Default.PublishRequest,
            FanoutJsonContext.Default.PublishAnswer, safeToRepeat: key is not null, cancellationToken);
        return new PublishResult(answer.Topic, answer.Seq, answer.Id, answer.Duplicate);
    }

    /// <summary>
    /// Publishes <paramref name="events"/> to <paramref name="topic"/> in order, all or
    /// nothing, and returns one result per event in the same order. Retried after a lost
    /// answer or 503 only when every event has a key.
    /// </summary>
    /// <exception cref="FanoutProblemException">The node refused the batch; nothing of it was published.</exception>
    public async Task<IReadOnlyList<PublishResult>> PublishBatchAsync(
        string topic, IEnumerable<FanoutMessage> events, CancellationToken cancellationToken = default)
    {
        EnsureTopic(topic);
        ArgumentNullException.ThrowIfNull(events);
        var body = events.Select(e => new PublishRequest(ToElement(e.Data), e.Type, e.Key)).ToList();
        var answer = await PostAsync(
            FanoutPaths.TopicBatch(topic), body, FanoutJsonContext.Default.IReadOnlyListPublishRequest,
            FanoutJsonContext.Default.BatchAnswer, safeToRepeat: body.Count > 0 && body.All(e => e.Key is not null), cancellationToken);
        return answer.Events.Select(e => new PublishResult(answer.Topic, e.Seq, e.Id, e.Duplicate)).ToList();
    }

    /// <summary>
    /// Reads <paramref name="topics"/> as one stream, from <paramref name="lastEventId"/>
    /// (a cursor a previous stream handed out as <see cref="FanoutEvent.Id"/>) or from now.
    /// A dropped connection, a node's <c>fanout.shutdown</c> or heartbeat silence longer than
    /// <see cref="FanoutClientOptions.HeartbeatTimeout"/> is followed by a reconnect with the
    /// last cursor, after the node's <c>retry:</c> (jittered): the node replays what was
    /// missed, so every event arrives once, in order. Lagged and reset markers arrive as
    /// items (<see cref="FanoutEvent.Kind"/>). Ends only by cancellation
    /// (<see cref="OperationCanceledException"/>), or with the error after
    /// <see cref="FanoutClientOptions.MaxReconnectAttempts"/> failed reconnects in a row, or a
    /// refusal that a retry cannot mend (<see cref="FanoutProblemException"/>: 400, 401, 403...).
    /// </summary>
    /// <param name="topics">One topic (<c>GET /topics/{t}/events</c>) or several (<c>GET /events?topic=a&amp;topic=b</c>).</param>
    /// <param name="lastEventId">Where to resume; null to start at the live end.</param>
    /// <param name="cancellationToken">Ends the stream and closes its connection.</param>
    public IAsyncEnumerable<FanoutEvent> SubscribeAsync(
        IEnumerable<string> topics, string? lastEventId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var list = topics.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("Name at least one topic.", nameof(topics));
        }

        foreach (var topic in list)
        {
            EnsureTopic(topic);
        }

        var path = list.Count == 1 ? FanoutPaths.TopicEvents(list[0]) : FanoutPaths.MultiTopicEvents(list);
        var subscription = new Subscription(_http, Resolve(path), list, Options);
        return subscription.ReadAsync(lastEventId, cancellationToken);
    }

    /// <summary>Reads one topic; see <see cref="SubscribeAsync(IEnumerable{string}, string?, CancellationToken)"/>.</summary>
    public IAsyncEnumerable<FanoutEvent> SubscribeAsync(string topic, string? lastEventId = null, CancellationToken cancellationToken = default) =>
        SubscribeAsync([topic], lastEventId, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _ownedHttp?.Dispose();

    private async Task<TAnswer> PostAsync<TBody, TAnswer>(
        string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TAnswer> answerType, bool safeToRepeat, CancellationToken cancellationToken)
    {
        // Bytes rather than a streamed body, so that a retry can send them again.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, bodyType));
        content.Headers.ContentType = JsonMediaType;
        using var request = new HttpRequestMessage(HttpMethod.Post, Resolve(path)) { Content = content };
        request.Options.Set(PublishRetry.SafeToRepeat, safeToRepeat);
        using var response = await _http().SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FanoutProblemException.FromResponseAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync(answerType, cancellationToken)
            ?? throw new FanoutProblemException(response.StatusCode, "The node's answer had no body.");
    }

    private JsonElement ToElement(object? data) => data switch
    {
        JsonElement element => element,
        null => JsonSerializer.SerializeToElement<object?>(null, Options.JsonSerializerOptions),
        _ => JsonSerializer.SerializeToElement(data, data.GetType(), Options.JsonSerializerOptions),
    };

    private Uri Resolve(string path) => new(_base, path.TrimStart('/'));

    private static void EnsureTopic(string topic)
    {
        if (!TopicName.TryValidate(topic, out var problem))
        {
            throw new ArgumentException($"'{topic}' is not a topic name: {problem}", nameof(topic));
        }
    }

    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
}
