using Akka.Hosting;
using Fanout.AspNetCore.Auth;
using Fanout.AspNetCore.Configuration;
using Fanout.AspNetCore.Diagnostics;
using Fanout.AspNetCore.Http;
using Fanout.AspNetCore.Lifecycle;
using Fanout.AspNetCore.Limits;
using Fanout.AspNetCore.Mercure;
using Fanout.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Fanout.AspNetCore;

/// <summary>
/// Adds a Fanout hub to an ASP.NET Core app: <c>builder.Services.AddFanout(builder.Configuration.GetSection("Fanout"))</c>,
/// then <c>app.MapFanout()</c>. Settings are bound and validated once, here: a setting that
/// cannot work throws <see cref="InvalidFanoutConfigurationException"/> naming its key.
/// </summary>
public static class FanoutServiceCollectionExtensions
{
    /// <summary>
    /// The hub with its own actor system (Akka.Hosting, named <see cref="FanoutNodeDefaults.ActorSystemName"/>):
    /// cluster member, topic shards, store, node publisher, and the services the endpoints use.
    /// </summary>
    public static IServiceCollection AddFanout(this IServiceCollection services, IConfiguration section) =>
        services.AddFanout(section, configureAkka: null);

    /// <summary>
    /// As <see cref="AddFanout(IServiceCollection, IConfiguration)"/>; <paramref name="configureAkka"/>
    /// adds the app's own actors and settings to the same actor system (Akka.Hosting allows one
    /// <c>AddAkka</c> per app, so an app with actors of its own passes them here).
    /// </summary>
    public static IServiceCollection AddFanout(
        this IServiceCollection services, IConfiguration section, Action<AkkaConfigurationBuilder, IServiceProvider>? configureAkka) =>
        services.AddFanout(FanoutSettings.Load(section), configureAkka);

    /// <summary>As <see cref="AddFanout(IServiceCollection, IConfiguration, Action{AkkaConfigurationBuilder, IServiceProvider})"/>, with settings already loaded (<see cref="FanoutSettings.Load"/>).</summary>
    public static IServiceCollection AddFanout(
        this IServiceCollection services, FanoutSettings settings, Action<AkkaConfigurationBuilder, IServiceProvider>? configureAkka = null)
    {
        services.AddFanoutEndpointServices(settings);
        services.AddAkka(FanoutNodeDefaults.ActorSystemName, (akka, provider) =>
        {
            akka.WithFanoutNode(settings, provider.GetRequiredService<IConfiguration>());
            configureAkka?.Invoke(akka, provider);
        });
        return services;
    }

    /// <summary>
    /// The services of the HTTP edge only, for an app whose <c>AddAkka</c> already exists: call
    /// <see cref="FanoutAkkaConfigurationExtensions.WithFanoutNode"/> inside it with the same settings.
    /// </summary>
    public static IServiceCollection AddFanoutEndpointServices(this IServiceCollection services, FanoutSettings settings)
    {
        ClusterFormation.EnsurePortsFree(settings.Node);
        services.AddSingleton(settings);
        services.AddSingleton(Options.Create(settings.Node));
        services.AddSingleton(Options.Create(settings.Shutdown));
        services.AddSingleton(Options.Create(settings.Metrics));
        services.AddSingleton(settings.Hub);

        // The drain bounds the host's stop: subscribers are told to go before Kestrel stops.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(1, settings.Shutdown.DrainSeconds)));
        services.AddSingleton<NodeDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeDrain>());
        services.AddProblemDetails();
        services.Configure<KestrelServerOptions>(kestrel => KestrelLimits.Apply(kestrel.Limits, settings.Node.Limits));
        services.AddFanoutAuth(settings.Node.Auth);
        services.AddSingleton<SubscriberSlots>();
        services.AddPublishRateLimiting(settings.Node.Limits);

        services.AddFanoutHub(settings.Hub);
        services.AddFanoutMetrics();
        services.AddAdminAccess();
        services.AddClusterFormation(settings.Node);
        services.AddHostedService<AuthModeLog>();
        services.AddFanoutMercure(settings.Mercure);
        return services;
    }
}
