using System.Net;
using Akka.Actor;
using Fanout.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;


using Fanout.Testing;

namespace Fanout.Operations.Tests;

/// <summary>
/// A real node in this process (Kestrel on 127.0.0.1, remoting on a free loopback port), with
/// an HTTP client allowed as many connections as a test opens streams.
/// </summary>
public sealed class OpsNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private OpsNode(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4096, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri Url { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public ActorSystem System => _app.Services.GetRequiredService<ActorSystem>();

    public FanoutHub Hub => _app.Services.GetRequiredService<FanoutHub>();

    public Address Address => Akka.Cluster.Cluster.Get(System).SelfAddress;

    public static async Task<OpsNode> StartAsync(IEnumerable<string>? settings = null, Action<WebApplicationBuilder>? configure = null, OpsNode? seed = null)
    {
        var args = new List<string> { "--Logging:LogLevel:Default=Warning" };
        if (seed is not null)
        {
            args.Add($"--Fanout:Cluster:SeedNodes:0={seed.Address}");
        }

        args.AddRange(settings ?? []);
        var (app, url) = await LoopbackNode.StartAsync(args, configure);
        return new OpsNode(app, url);
    }

    /// <summary>SIGTERM-like host shutdown: drain subscribers, leave the cluster, stop.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        Http.Dispose();
    }
}
