using System.Net;
using Akka.Actor;
using Fanout.Hosting;
using Microsoft.AspNetCore.Builder;
using Fanout.Testing;

namespace Fanout.Operations.Tests;

/// <summary>
/// A real node in this process (Kestrel on 127.0.0.1, remoting on a free loopback port), with
/// an HTTP client allowed as many connections as a test opens streams.
/// </summary>
public sealed class OpsNode : RunningNode
{
    private OpsNode(WebApplication app, Uri url)
        : base(app, url, new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4096, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromSeconds(60),
        })
    {
    }

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
}
