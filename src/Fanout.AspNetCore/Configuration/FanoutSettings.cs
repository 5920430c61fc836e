using Fanout.AspNetCore.Diagnostics;
using Fanout.AspNetCore.Lifecycle;
using Fanout.AspNetCore.Mercure;
using Fanout.Hosting;

namespace Fanout.AspNetCore.Configuration;

/// <summary>
/// Every setting of a node, bound once from the <c>Fanout</c> section and validated as a
/// whole: each settings class names its own problems, and all of them stop the node at once
/// (<see cref="InvalidFanoutConfigurationException"/>, one line per problem naming its key).
/// </summary>
public sealed class FanoutSettings
{
    private FanoutSettings(FanoutOptions hub, NodeOptions node, ShutdownSettings shutdown, MetricsEndpointSettings metrics, MercureSettings mercure)
    {
        Mercure = mercure;
        Hub = hub;
        Node = node;
        Shutdown = shutdown;
        Metrics = metrics;
    }

    /// <summary>The core's settings: subscriber bounds, topics, the store.</summary>
    public FanoutOptions Hub { get; }

    /// <summary>Deployment: remoting, cluster formation, management, limits, auth, transport.</summary>
    public NodeOptions Node { get; }

    public ShutdownSettings Shutdown { get; }

    public MetricsEndpointSettings Metrics { get; }

    /// <summary>The Mercure endpoint: keys, anonymous access, CORS.</summary>
    public MercureSettings Mercure { get; }

    /// <summary>Binds and validates <paramref name="section"/>; throws <see cref="InvalidFanoutConfigurationException"/> when it cannot work.</summary>
    public static FanoutSettings Load(IConfiguration section)
    {
        var problems = new List<string>();
        var settings = new FanoutSettings(
            Bind(section, new FanoutOptions(), problems),
            Bind(section, new NodeOptions(), problems),
            Bind(section.GetSection(ShutdownSettings.SectionName), new ShutdownSettings(), problems),
            Bind(section.GetSection(MetricsEndpointSettings.SectionName), new MetricsEndpointSettings(), problems),
            Bind(section.GetSection(MercureSettings.SectionName), new MercureSettings(), problems));
        problems.AddRange(settings.Hub.Validate());
        problems.AddRange(settings.Node.Validate());
        problems.AddRange(settings.Shutdown.Validate());
        problems.AddRange(settings.Metrics.Validate());
        problems.AddRange(settings.Mercure.Validate());
        problems.AddRange(StoreForCluster.Validate(settings.Hub.Store, settings.Node));
        if (problems.Count > 0)
        {
            throw new InvalidFanoutConfigurationException(problems);
        }

        return settings;
    }

    /// <summary>
    /// Binds <paramref name="section"/> onto <paramref name="settings"/>; a value that does not
    /// convert (<c>MaxEvents=lots</c>) is one more problem, in the binder's words, which name the key.
    /// </summary>
    private static T Bind<T>(IConfiguration section, T settings, List<string> problems)
        where T : class
    {
        try
        {
            section.Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add(ex.Message);
        }

        return settings;
    }
}
