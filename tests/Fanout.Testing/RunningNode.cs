using Akka.Actor;
using Fanout.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Testing;

/// <summary>
/// A started node (see <see cref="LoopbackNode"/>) with a client for it, its actor system and
/// hub. Stopping it is a SIGTERM-like host shutdown: drain subscribers, leave the cluster.
/// </summary>
public abstract class RunningNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    protected RunningNode(WebApplication app, Uri url, HttpClient http)
    {
        _app = app;
        Url = url;
        Http = http;
    }

    public Uri Url { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public ActorSystem System => _app.Services.GetRequiredService<ActorSystem>();

    public FanoutHub Hub => _app.Services.GetRequiredService<FanoutHub>();

    public Address Address => Akka.Cluster.Cluster.Get(System).SelfAddress;

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
        GC.SuppressFinalize(this);
    }
}
