using Akka.Actor;
using Fanout.Hosting;
using Microsoft.Extensions.Options;

namespace Fanout.AspNetCore.Lifecycle;

/// <summary>
/// Leaving well: when the host starts stopping (SIGTERM, Ctrl+C), the node stops taking
/// subscribers, tells every connected one <c>fanout.shutdown</c> with a jittered
/// <c>retry:</c> and waits (bounded) for their streams to end, before Kestrel and then
/// Akka (CoordinatedShutdown: leave the cluster, hand shards over) stop.
/// </summary>
public sealed class NodeDrain : IHostedLifecycleService
{
    private readonly IServiceProvider _services;
    private readonly ShutdownSettings _settings;
    private readonly ILogger<NodeDrain> _log;
    private volatile bool _draining;

    // The hub is resolved when draining starts: hosted services are built before the
    // actor system runs, and the hub needs its actors.
    public NodeDrain(IServiceProvider services, IOptions<ShutdownSettings> settings, ILogger<NodeDrain> log)
    {
        _services = services;
        _settings = settings.Value;
        _log = log;
    }

    /// <summary>True from the stop signal on: no new subscribers, not ready.</summary>
    public bool IsDraining => _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Max(1, _settings.DrainSeconds) / 2.0);
        if (_services.GetRequiredService<ActorSystem>().WhenTerminated.IsCompleted)
        {
            // Downed or crashed: no subscriber actor is left to tell.
            return;
        }

        try
        {
            var hub = _services.GetRequiredService<FanoutHub>();
            var closing = await hub.CloseLocalSubscribersAsync(_settings.ReconnectSpreadMilliseconds, cancellationToken);
            _log.LogInformation("Draining: sent fanout.shutdown to {Count} subscribers", closing.Count);
            while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                var left = await hub.GetLocalSubscribersAsync(cancellationToken);
                if (left.Subscribers == 0)
                {
                    _log.LogInformation("Draining: all subscribers closed");
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }

            _log.LogWarning("Draining: subscribers still open at the drain deadline; closing anyway");
        }
        catch (Exception ex) when (ex is AskTimeoutException or OperationCanceledException or InvalidOperationException)
        {
            _log.LogWarning("Draining cut short: {Reason}", ex.Message);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
