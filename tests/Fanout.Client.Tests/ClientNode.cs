using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.Testing;

namespace Fanout.Client.Tests;

/// <summary>A node started in this process for client tests, with helpers that read its state over HTTP.</summary>
public sealed class ClientNode : RunningNode
{
    private ClientNode(Microsoft.AspNetCore.Builder.WebApplication app, Uri url)
        : base(app, url, new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) })
    {
    }

    /// <summary>Starts a node; a short <c>retry:</c> keeps reconnects in tests quick.</summary>
    public static async Task<ClientNode> StartAsync(params string[] args)
    {
        var (app, url) = await LoopbackNode.StartAsync(["--Fanout:Subscriber:RetryMilliseconds=200", .. args]);
        return new ClientNode(app, url);
    }

    /// <summary>The subscriber count <c>GET /topics/{topic}</c> reports (0 while the topic has no event).</summary>
    public async Task<int> SubscribersAsync(string topic, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Protocol.FanoutPaths.Topic(topic));
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await Http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return 0;
        }

        response.EnsureSuccessStatusCode();
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("subscribers").GetInt32();
    }

    public Task AwaitSubscribersAsync(string topic, int count, string? token = null) =>
        Eventually.HoldsAsync(async () => await SubscribersAsync(topic, token) == count, TimeSpan.FromSeconds(20), $"{count} subscriber(s) on {topic}");

    /// <summary>Events the node's subscriber mailboxes dropped, summed over <c>GET /admin/subscribers</c> (auth off).</summary>
    public async Task<long> DroppedAsync()
    {
        using var answer = JsonDocument.Parse(await Http.GetStringAsync("/admin/subscribers"));
        return answer.RootElement.GetProperty("subscribers").EnumerateArray().Sum(s => s.GetProperty("dropped").GetInt64());
    }

    /// <summary>Publishes with the node's own HTTP client (not through Fanout.Client).</summary>
    public async Task<PublishResult> PublishRawAsync(string topic, object data, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Protocol.FanoutPaths.TopicEvents(topic)) { Content = JsonContent.Create(new { data }) };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync(Protocol.FanoutJsonContext.Default.PublishAnswer);
        return new PublishResult(answer!.Topic, answer.Seq, answer.Id, answer.Duplicate);
    }
}
