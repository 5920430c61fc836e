using System.Net;
using Akka.Actor;
using Fanout.AspNetCore.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fanout.AspNetCore.Management;

/// <summary>
/// The management HTTP port (<c>Fanout:Management:Port</c>) that cluster bootstrap probes:
/// a Kestrel server of its own, apart from the public API's addresses, serving only
/// <see cref="BootstrapSeedNodes.Path"/>. Started after the actor system, stopped with the host.
/// </summary>
public sealed class ManagementEndpoint(ActorSystem system, NodeOptions node, ILoggerFactory logs) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();

        // Only what is set here: neither --urls nor ASPNETCORE_* of the public API apply.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logs);
        builder.WebHost.UseKestrel(kestrel =>
        {
            foreach (var address in ClusterFormation.BindAddresses(ClusterFormation.ManagementBindHost(node)))
            {
                kestrel.Listen(address, node.Management.Port, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        var app = builder.Build();
        app.MapGet(BootstrapSeedNodes.Path, () => Results.Text(BootstrapSeedNodes.Json(system), "application/json"));
        await app.StartAsync(cancellationToken);
        _app = app;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
