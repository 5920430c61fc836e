using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Fanout.Hosting;
using Fanout.Server.Configuration;
using Fanout.Server.Diagnostics;
using Fanout.Server.Http;
using Fanout.Server.Lifecycle;

namespace Fanout.Server;

/// <summary>Builds a Fanout node: ASP.NET Core in front, an Akka.Cluster member behind.</summary>
public static class FanoutNode
{
    public const string ActorSystemName = "fanout";
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddFanoutLogging();
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var section = builder.Configuration.GetSection(FanoutOptions.Section);
        var fanout = section.Get<FanoutOptions>() ?? new FanoutOptions();
        var node = section.Get<NodeOptions>() ?? new NodeOptions();
        Validate(fanout, node);

        var shutdown = section.GetSection("Shutdown").Get<ShutdownSettings>() ?? new ShutdownSettings();
        builder.Services.Configure<NodeOptions>(section);
        builder.Services.Configure<ShutdownSettings>(section.GetSection("Shutdown"));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(1, shutdown.DrainSeconds)));
        builder.Services.AddSingleton<NodeDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeDrain>());
        builder.Services.AddSingleton(fanout);
        builder.Services.AddProblemDetails();
        builder.Services.AddFanoutHub(fanout);
        builder.Services.AddFanoutMetrics();
        builder.Services.AddAdminAccess();
        builder.Services.AddAkka(ActorSystemName, (akka, _) =>
        {
            akka.AddHocon(HoconFiles.Load(), HoconAddMode.Append)
                .WithFanoutLogging(builder.Configuration)
                .WithRemoting(new RemoteOptions
                {
                    HostName = node.Remoting.Host,
                    Port = node.Remoting.Port,
                    PublicHostName = string.IsNullOrEmpty(node.Remoting.PublicHost) ? node.Remoting.Host : node.Remoting.PublicHost,
                })
                .WithClustering(new ClusterOptions
                {
                    SeedNodes = node.Cluster.SeedNodes,
                    Roles = node.Cluster.Roles,
                    SplitBrainResolver = new KeepMajorityOption(),
                })
                .WithFanout(fanout)
                .AddStartup((system, _) =>
                {
                    if (node.Cluster.SeedNodes.Length == 0)
                    {
                        var cluster = Cluster.Get(system);
                        cluster.Join(cluster.SelfAddress);
                    }
                });
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapFanout();
        return app;
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

        if (node.Remoting.Port is < 0 or > 65535)
        {
            problems.Add("Fanout:Remoting:Port must be 0-65535.");
        }

        foreach (var seed in node.Cluster.SeedNodes)
        {
            if (!Address.TryParse(seed, out var address) || address.System != ActorSystemName)
            {
                problems.Add($"Fanout:Cluster:SeedNodes entry '{seed}' is not an address like akka.tcp://{ActorSystemName}@host:port.");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration: " + string.Join(" ", problems));
        }
    }
}
