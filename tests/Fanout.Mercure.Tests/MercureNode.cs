using Fanout.Testing;
using Microsoft.AspNetCore.Builder;

namespace Fanout.Mercure.Tests;

/// <summary>A real node in this process with the Mercure endpoint's keys set (memory store, 127.0.0.1).</summary>
public sealed class MercureNode : RunningNode
{
    public const string PublisherKey = "mercure-publisher-key-for-tests-0123456789";
    public const string SubscriberKey = "mercure-subscriber-key-for-tests-0123456789";

    private MercureNode(WebApplication app, Uri url)
        : base(app, url, new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) })
    {
    }

    /// <summary>Starts a node with both keys; with a seed it joins that node's cluster.</summary>
    public static async Task<MercureNode> StartAsync(MercureNode? seed = null, params string[] settings)
    {
        string[] args =
        [
            "--Logging:LogLevel:Default=Warning",
            "--Fanout:Shutdown:DrainSeconds=2",
            $"--Fanout:Mercure:PublisherJwtKey={PublisherKey}",
            $"--Fanout:Mercure:SubscriberJwtKey={SubscriberKey}",
            .. seed is null ? Array.Empty<string>() : [$"--Fanout:Cluster:SeedNodes:0={seed.Address}"],
            .. settings,
        ];
        var (app, url) = await LoopbackNode.StartAsync(args);
        return new MercureNode(app, url);
    }

    /// <summary>A client of this node that sends <paramref name="token"/> as a bearer token (none: anonymous).</summary>
    public HttpClient Client(string? token = null)
    {
        var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }
}
