using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Fanout.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

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
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Fanout:Remoting:Port=0",
            "--Fanout:Shutdown:DrainSeconds=2",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
        var app = FanoutNode.Build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var node = new DashboardNode(app, new Uri(address));
        await node.AwaitReadyAsync();
        return node;
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

    private async Task AwaitReadyAsync()
    {
        // A self-joining node is Up within a few seconds; 300 checks 100 ms apart bound the wait.
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using (var response = await Http.GetAsync("/readyz"))
            {
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The node did not become ready (an Up cluster member) within 30 s.");
    }
}
