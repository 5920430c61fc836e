using Akka.Actor;
using Akka.Hosting;
using Fanout.Hosting;
using Fanout.Server.Auth;
using Fanout.Server.Configuration;
using Fanout.Server.Dashboard;
using Fanout.Server.Diagnostics;
using Fanout.Server.Http;
using Fanout.Server.Lifecycle;
using Fanout.Server.Limits;

namespace Fanout.Server;

/// <summary>Builds a Fanout node: ASP.NET Core in front, an Akka.Cluster member behind.</summary>
public static class FanoutNode
{
    public const string ActorSystemName = "fanout";
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the executable's folder, so the shipped appsettings.json
        // applies wherever the node is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddFanoutLogging();
        configure?.Invoke(builder);
        ListenAddresses.UseDefaultUnlessConfigured(builder);

        var section = builder.Configuration.GetSection(FanoutOptions.Section);
        var problems = new List<string>();
        var fanout = Bind(section, new FanoutOptions(), problems);
        var node = Bind(section, new NodeOptions(), problems);
        var shutdown = Bind(section.GetSection("Shutdown"), new ShutdownSettings(), problems);
        var metricsEndpoint = Bind(section.GetSection("Metrics"), new MetricsEndpointSettings(), problems);
        Validate(problems, fanout, node, shutdown, metricsEndpoint);
        ClusterFormation.EnsurePortsFree(node);

        builder.Services.Configure<NodeOptions>(section);
        builder.Services.Configure<ShutdownSettings>(section.GetSection("Shutdown"));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(1, shutdown.DrainSeconds)));
        builder.Services.AddSingleton<NodeDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeDrain>());
        builder.Services.AddSingleton(fanout);
        builder.Services.AddProblemDetails();
        builder.WebHost.ConfigureKestrel(kestrel => KestrelLimits.Apply(kestrel.Limits, node.Limits));

        // Small SSE frames must leave at once, not wait for Nagle's algorithm: Kestrel's
        // default, stated here because latency depends on it.
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.NoDelay = true;
            sockets.UnsafePreferInlineScheduling = node.Transport.InlineScheduling;
        });
        builder.Services.AddFanoutAuth(node.Auth);
        builder.Services.AddSingleton<SubscriberSlots>();
        if (PublishRateLimiting.IsEnabled(node.Limits))
        {
            builder.Services.AddPublishRateLimiting(node.Limits);
        }

        builder.Services.AddFanoutHub(fanout);
        builder.Services.AddFanoutMetrics();
        builder.Services.AddAdminAccess();
        builder.Services.AddAkka(ActorSystemName, (akka, _) =>
        {
            akka.AddHocon(HoconFiles.Load(), HoconAddMode.Append)
                .WithFanoutLogging(builder.Configuration)
                .WithClusterFormation(node)
                .WithFanout(fanout);
        });
        builder.Services.AddClusterFormation(node);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDashboard();
        app.UseAuthentication();
        app.UseAuthorization();
        if (PublishRateLimiting.IsEnabled(node.Limits))
        {
            // After authentication: the limit is per token subject.
            app.UseRateLimiter();
        }

        app.MapFanout();
        LogAuthMode(app, node.Auth);
        return app;
    }

    private static void LogAuthMode(WebApplication app, AuthSettings auth)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FanoutAuthentication).FullName!);
        var mode = FanoutAuthentication.DescribeMode(auth);
        if (auth.Enabled && !auth.AllowAnonymousPublish)
        {
            logger.LogInformation("{AuthMode}", mode);
        }
        else
        {
            logger.LogWarning("{AuthMode}", mode);
        }

        if (!string.IsNullOrWhiteSpace(auth.Authority) && string.IsNullOrWhiteSpace(auth.Audience))
        {
            logger.LogWarning("Fanout:Auth:Authority is set without Fanout:Auth:Audience: tokens the authority issued for any application are accepted.");
        }

        if (!auth.Enabled && auth.AllowAnonymousPublish)
        {
            logger.LogWarning("Fanout:Auth:AllowAnonymousPublish has no effect while auth is off.");
        }
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

    /// <summary>Each settings class names its own problems; all of them stop the node at once.</summary>
    private static void Validate(
        List<string> problems, FanoutOptions fanout, NodeOptions node, ShutdownSettings shutdown, MetricsEndpointSettings metricsEndpoint)
    {
        problems.AddRange(fanout.Validate());
        problems.AddRange(node.Validate());
        problems.AddRange(shutdown.Validate());
        problems.AddRange(metricsEndpoint.Validate());
        problems.AddRange(ValidateStoreForCluster(fanout.Store, node));
        if (problems.Count > 0)
        {
            throw new InvalidFanoutConfigurationException(problems);
        }
    }

    /// <summary>
    /// An SQLite file belongs to one node: a topic that moves to another node would not
    /// find its events there and would start over. A cluster needs a shared store.
    /// </summary>
    private static IEnumerable<string> ValidateStoreForCluster(StoreOptions store, NodeOptions node)
    {
        if (store.Validate().Any() || store.ParsedKind != StoreKind.Sqlite || !NamesOtherNodes(node))
        {
            yield break;
        }

        yield return "Fanout:Store:Kind=sqlite keeps history in this node's own file, so it serves a single node only: a cluster (Fanout:Cluster:SeedNodes or Fanout:Cluster:Discovery name other nodes) needs Fanout:Store:Kind=postgresql with one Fanout:Store:ConnectionString for every node (or memory, which keeps no history across restarts).";
    }

    /// <summary>Whether this node is configured to be one of several.</summary>
    private static bool NamesOtherNodes(NodeOptions node)
    {
        var discovery = node.Cluster.Discovery;
        if (discovery.Method == DiscoverySettings.Kubernetes)
        {
            return true;
        }

        if (discovery.Method == DiscoverySettings.Config)
        {
            return discovery.Endpoints.Length > 1;
        }

        var self = $"akka.tcp://{ActorSystemName}@{node.Remoting.EffectivePublicHost}:{node.Remoting.Port}";
        return node.Cluster.SeedNodes.Any(seed => !string.Equals(seed.TrimEnd('/'), self, StringComparison.OrdinalIgnoreCase));
    }
}
