using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Fanout.Testing;
using Microsoft.AspNetCore.Builder;

namespace Fanout.Browser.Tests;

public sealed record Published(string Topic, long Seq, string Id);

public sealed record BatchEvent(long Seq, string Id);

public sealed record BatchPublished(string Topic, IReadOnlyList<BatchEvent> Events);

public sealed record EventToPublish(
    object Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type = null);

/// <summary>A real node in this process: Kestrel on 127.0.0.1 port 0, remoting on a free loopback port.</summary>
public sealed class DashboardNode : RunningNode
{
    private DashboardNode(WebApplication app, Uri url)
        : base(app, url, new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) })
    {
    }

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

    private static string EventsPath(string topic) => "/topics/" + Uri.EscapeDataString(topic) + "/events";
}
