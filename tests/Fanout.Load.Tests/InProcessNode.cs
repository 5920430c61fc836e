using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

using Fanout.Testing;

namespace Fanout.Load.Tests;

/// <summary>A Fanout node in this process on ephemeral loopback ports, up as a cluster member.</summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessNode(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<InProcessNode> StartAsync(params string[] settings)
    {
        var (app, url) = await LoopbackNode.StartAsync(settings);
        return new InProcessNode(app, url.ToString().TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
