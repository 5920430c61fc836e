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
        var fanout = section.Get<FanoutOptions>() ?? new FanoutOptions();
        var node = section.Get<NodeOptions>() ?? new NodeOptions();
        Validate(fanout, node);
        ClusterFormation.EnsurePortsFree(node);

        var shutdown = section.GetSection("Shutdown").Get<ShutdownSettings>() ?? new ShutdownSettings();
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

    private static void Validate(FanoutOptions fanout, NodeOptions node)
    {
        var problems = new List<string>();
        if (fanout.Subscriber.MaxEvents < 1)
        {
            problems.Add("Fanout:Subscriber:MaxEvents must be at least 1.");
        }

        if (fanout.Subscriber.MaxBytes < 1)
        {
            problems.Add("Fanout:Subscriber:MaxBytes must be at least 1.");
        }

        if (fanout.Subscriber.HeartbeatSeconds < 0)
        {
            problems.Add("Fanout:Subscriber:HeartbeatSeconds may not be negative (0 turns heartbeats off).");
        }

        if (fanout.Topic.HistoryEvents < 0 || fanout.Topic.HistoryBytes < 0)
        {
            problems.Add("Fanout:Topic:HistoryEvents and HistoryBytes may not be negative.");
        }

        if (fanout.Subscriber.SlowWarningSeconds < 0)
        {
            problems.Add("Fanout:Subscriber:SlowWarningSeconds may not be negative.");
        }

        if (fanout.Metrics.MaxTopicTags < 0)
        {
            problems.Add("Fanout:Metrics:MaxTopicTags may not be negative (0 counts every topic as _other).");
        }

        problems.AddRange(ClusterFormation.Validate(node));
        problems.AddRange(fanout.Store.Validate());
        problems.AddRange(ValidateStoreForCluster(fanout.Store, node));
        problems.AddRange(ValidateLimits(node.Limits));
        problems.AddRange(FanoutAuthentication.Validate(node.Auth));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration: " + string.Join(" ", problems));
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

        var self = $"akka.tcp://{ActorSystemName}@{(string.IsNullOrEmpty(node.Remoting.PublicHost) ? node.Remoting.Host : node.Remoting.PublicHost)}:{node.Remoting.Port}";
        return node.Cluster.SeedNodes.Any(seed => !string.Equals(seed.TrimEnd('/'), self, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<string> ValidateLimits(LimitSettings limits)
    {
        var positive = new (string Name, int Value)[]
        {
            (nameof(limits.MaxEventBytes), limits.MaxEventBytes),
            (nameof(limits.MaxBatchBytes), limits.MaxBatchBytes),
            (nameof(limits.MaxBatchEvents), limits.MaxBatchEvents),
            (nameof(limits.MaxTopicsPerSubscription), limits.MaxTopicsPerSubscription),
            (nameof(limits.MaxListedTopics), limits.MaxListedTopics),
            (nameof(limits.MaxSubscribersPerNode), limits.MaxSubscribersPerNode),
            (nameof(limits.SubscriberRetryAfterSeconds), limits.SubscriberRetryAfterSeconds),
            (nameof(limits.PublishWindowSeconds), limits.PublishWindowSeconds),
            (nameof(limits.RequestHeadersTimeoutSeconds), limits.RequestHeadersTimeoutSeconds),
            (nameof(limits.KeepAliveTimeoutSeconds), limits.KeepAliveTimeoutSeconds),
        };
        foreach (var (name, value) in positive.Where(p => p.Value < 1))
        {
            yield return $"Fanout:Limits:{name} must be at least 1.";
        }

        if (limits.PublishPermitLimit < 0 || limits.MinRequestBodyBytesPerSecond < 0 || limits.MinRequestBodyGraceSeconds < 0)
        {
            yield return "Fanout:Limits:PublishPermitLimit, MinRequestBodyBytesPerSecond and MinRequestBodyGraceSeconds may not be negative (0 turns the first two off).";
        }

        // Kestrel checks data rates on its one-second heartbeat; a shorter grace cannot work.
        if (limits.MinRequestBodyBytesPerSecond > 0 && limits.MinRequestBodyGraceSeconds < 2)
        {
            yield return "Fanout:Limits:MinRequestBodyGraceSeconds must be at least 2 while MinRequestBodyBytesPerSecond is on.";
        }
    }
}
