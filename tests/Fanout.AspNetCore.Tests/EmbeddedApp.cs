using Akka.Actor;
using Akka.Cluster;
using Fanout.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Fanout.AspNetCore.Tests;

/// <summary>
/// A plain ASP.NET Core app, not Fanout.Server, that embeds the hub: the test supplies its
/// services and pipeline. It listens on 127.0.0.1 at a port the OS picks, keeps history in
/// memory and is handed back once its node is an Up cluster member.
/// </summary>
public sealed class EmbeddedApp : IAsyncDisposable
{
    private EmbeddedApp(WebApplication app, Uri url)
    {
        App = app;
        Url = url;
    }

    public WebApplication App { get; }

    public Uri Url { get; }

    /// <summary>The <c>Fanout</c> section every embedded test app starts from; <paramref name="settings"/> add to it.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Fanout:Store:Kind"] = "memory",
            ["Fanout:Remoting:Port"] = LoopbackPorts.Take(1)[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    public static async Task<EmbeddedApp> StartAsync(
        Dictionary<string, string?> settings, Action<WebApplicationBuilder> services, Action<WebApplication> pipeline)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        services(builder);
        var app = builder.Build();
        pipeline(app);
        try
        {
            await app.StartAsync();
            var url = new Uri(app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
            var cluster = Cluster.Get(app.Services.GetRequiredService<ActorSystem>());
            await Eventually.HoldsAsync(
                () => Task.FromResult(cluster.SelfMember.Status == MemberStatus.Up), TimeSpan.FromSeconds(30), "the embedded node is Up");
            return new EmbeddedApp(app, url);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
