using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Implementation;
using Fanout.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using Fanout.Testing;

namespace Fanout.Server.Tests.Infrastructure;

/// <summary>
/// A Fanout node started in this process on real Kestrel: HTTP and remoting on
/// 127.0.0.1 with ports the OS picks, reported ready only once <c>/readyz</c> says 200.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private static readonly JsonSerializerOptions SkipNulls = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly WebApplication _app;

    private TestNode(WebApplication app, Uri baseAddress, LogSink log)
    {
        _app = app;
        Log = log;
        BaseAddress = baseAddress;
        Http = CreateClient();
    }

    public Uri BaseAddress { get; }

    /// <summary>A client for ordinary requests; streams may share it.</summary>
    public HttpClient Http { get; }

    /// <summary>What the node logged at Error or above through .NET logging.</summary>
    /// <summary>What the node logged (its <see cref="LogSink.Errors"/>: errors it did not handle).</summary>
    public LogSink Log { get; }

    public FanoutHub Hub => _app.Services.GetRequiredService<FanoutHub>();

    /// <param name="settings">Extra configuration as <c>Key=Value</c>, e.g. <c>Fanout:Subscriber:HeartbeatSeconds=1</c>.</param>
    public static async Task<TestNode> StartAsync(params string[] settings)
    {
        var log = new LogSink();
        var (app, url) = await LoopbackNode.StartAsync(
            ["--Logging:LogLevel:Default=Warning", .. settings.Select(s => "--" + s)],
            builder => builder.Logging.AddProvider(log),
            ReadyTimeout);
        return new TestNode(app, url, log);
    }

    /// <summary>
    /// A client of its own (its own connection pool) for this node. It never decompresses
    /// (so a test sees Content-Encoding) and never drains an unread response before closing
    /// it, so disposing a stream closes its connection at once, as a browser tab would.
    /// </summary>
    public HttpClient CreateClient(SocketsHttpHandler? handler = null)
    {
        handler ??= new SocketsHttpHandler();
        handler.AutomaticDecompression = System.Net.DecompressionMethods.None;
        handler.MaxResponseDrainSize = 0;
        handler.ResponseDrainTimeout = TimeSpan.Zero;
        return new HttpClient(handler)
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>Publishes one event and returns the node's answer (asserting 202).</summary>
    public async Task<Published> PublishAsync(string topicPath, object data, string? type = null)
    {
        using var response = await Http.PostAsJsonAsync($"/topics/{topicPath}/events", new { type, data }, SkipNulls);
        var json = await ExpectAcceptedAsync(response);
        return new Published(json["topic"]!.GetValue<string>(), json["seq"]!.GetValue<long>(), json["id"]!.GetValue<string>());
    }

    /// <summary>Publishes a batch and returns the answers in request order (asserting 202).</summary>
    public async Task<IReadOnlyList<Published>> PublishBatchAsync(string topicPath, IEnumerable<object> data, string? type = null)
    {
        var events = data.Select(d => new { type, data = d }).ToList();
        using var response = await Http.PostAsJsonAsync($"/topics/{topicPath}/events:batch", events, SkipNulls);
        var json = await ExpectAcceptedAsync(response);
        var topic = json["topic"]!.GetValue<string>();
        return json["events"]!.AsArray()
            .Select(e => new Published(topic, e!["seq"]!.GetValue<long>(), e["id"]!.GetValue<string>()))
            .ToList();
    }

    /// <summary>This node's live subscriber actors, as its node publisher counts them.</summary>
    public async Task<int> LocalSubscribersAsync() => (await Hub.GetLocalSubscribersAsync()).Subscribers;

    /// <summary>Running streams of the hub's materializer (each SSE response runs one).</summary>
    public async Task<int> LiveStreamsAsync()
    {
        var supervisor = ((ActorMaterializer)Hub.Materializer).Supervisor;
        var children = await supervisor.Ask<StreamSupervisor.Children>(StreamSupervisor.GetChildren.Instance, TimeSpan.FromSeconds(10));
        return children.Refs.Count;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private static async Task<JsonNode> ExpectAcceptedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Publish answered {(int)response.StatusCode}: {body}");
        }

        return JsonNode.Parse(body)!;
    }
}

/// <summary>What the node answered to one published event.</summary>
public sealed record Published(string Topic, long Seq, string Id);
