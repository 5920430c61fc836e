using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

using Fanout.Testing;

namespace Fanout.Browser.Tests;

public sealed record Published(string Topic, long Seq, string Id);

public sealed record BatchEvent(long Seq, string Id);

public sealed record BatchPublished(string Topic, IReadOnlyList<BatchEvent> Events);

public sealed record EventToPublish(
    object Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type = null);

/// <summary>A real node in this process: Kestrel on 127.0.0.1 port 0, remoting on a free loopback port.</summary>
public sealed class DashboardNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardNode(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Url { get; }

    public HttpClient Http { get; }

    public ActorSystem System => _app.Services.GetRequiredService<ActorSystem>();

    public static async Task<DashboardNode> StartAsync(params string[] settings)
    {
        var (app, url) = await LoopbackNode.StartAsync(
            ["--Fanout:Shutdown:DrainSeconds=2", "--Logging:LogLevel:Default=Warning", .. settings]);
        return new DashboardNode(app, url);
    }

    public async Task<Published> PublishAsync(string topic, object data, string? type = null)
    {
        using var response = await Http.PostAsJsonAsync(EventsPath(topic), new EventToPublish(data, type));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Published>())!;
    }

    public async Task<BatchPublished> PublishBatchAsync(string topic, IEnumerable<EventToPublish> events)
    {
        using var response = await Http.PostAsJsonAsync(EventsPath(topic) + ":batch", events);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<BatchPublished>())!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Http.Dispose();
    }

    private static string EventsPath(string topic) => "/topics/" + Uri.EscapeDataString(topic) + "/events";
}
