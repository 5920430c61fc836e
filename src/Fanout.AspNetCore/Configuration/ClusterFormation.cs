using System.Net;
using System.Net.Sockets;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Discovery.Config.Hosting;
using Akka.Hosting;
using Akka.Management.Dsl;
using Akka.Management.Cluster.Bootstrap;
using Akka.Remote.Hosting;
using Fanout.AspNetCore.Management;

namespace Fanout.AspNetCore.Configuration;

/// <summary>
/// How a node becomes a member of its one cluster: remoting, clustering and, for the
/// <c>config</c> and <c>kubernetes</c> discovery methods, Akka.Management cluster bootstrap.
/// </summary>
public static class ClusterFormation
{
    /// <summary>The service name bootstrap looks up in discovery: the actor system's name.</summary>
    public const string ServiceName = FanoutNodeDefaults.ActorSystemName;

    /// <summary>
    /// Fails when another process already listens on this node's remoting (or management)
    /// port. Akka's transport is also told not to reuse addresses (hocon/fanout.hocon), which
    /// alone makes the bind fail; checking first turns that into one clear line before
    /// anything starts, instead of a newcomer that joins on the healthy node's address and
    /// gets it downed.
    /// </summary>
    public static void EnsurePortsFree(NodeOptions node)
    {
        EnsureFree(node.Remoting.Host, node.Remoting.Port, "Fanout:Remoting:Port");
        if (node.Cluster.Discovery.UsesBootstrap)
        {
            EnsureFree(ManagementBindHost(node), node.Management.Port, "Fanout:Management:Port");
        }
    }

    public static AkkaConfigurationBuilder WithClusterFormation(this AkkaConfigurationBuilder akka, NodeOptions node)
    {
        var cluster = node.Cluster;
        var discovery = cluster.Discovery;
        akka.WithRemoting(new RemoteOptions
            {
                HostName = node.Remoting.Host,
                Port = node.Remoting.Port,
                PublicHostName = node.Remoting.EffectivePublicHost,
            })
            .WithClustering(new ClusterOptions
            {
                SeedNodes = discovery.UsesBootstrap ? [] : cluster.SeedNodes,
                Roles = cluster.Roles,
                MinimumNumberOfMembers = cluster.EffectiveMinimumMembers,
                SplitBrainResolver = new KeepMajorityOption(),
            });

        if (!discovery.UsesBootstrap)
        {
            // A lone node (no seed list) founds its own cluster; with a seed list Akka's
            // seed-node process joins, and only the first seed may found a cluster, after it
            // found no other seed answering.
            return cluster.SeedNodes.Length > 0
                ? akka
                : akka.AddStartup((system, _) =>
                {
                    var self = Cluster.Get(system);
                    self.Join(self.SelfAddress);
                });
        }

        if (discovery.Method == DiscoverySettings.Config)
        {
            akka.WithConfigDiscovery(new ConfigServiceDiscoveryOptions
            {
                Services = [new Service { Name = ServiceName, Endpoints = discovery.Endpoints }],
            });
        }
        else
        {
            akka.AddHocon(KubernetesDiscoveryHocon(discovery.KubernetesApi), HoconAddMode.Prepend);
        }

        var bootstrap = new ClusterBootstrapOptions
        {
            // A node joins whatever cluster any contact point is in; only when none is in a
            // cluster, every required contact point has answered and the answers held still
            // for the stable margin, the lowest-addressed node founds one.
            NewClusterEnabled = true,
        };
        bootstrap.ContactPointDiscovery.ServiceName = ServiceName;
        bootstrap.ContactPointDiscovery.RequiredContactPointsNr = discovery.EffectiveRequiredContactPoints;
        bootstrap.ContactPointDiscovery.ContactWithAllContactPoints = true;
        bootstrap.ContactPointDiscovery.StableMargin = TimeSpan.FromMilliseconds(discovery.StableMarginMilliseconds);
        bootstrap.ContactPoint.ProbeInterval = TimeSpan.FromMilliseconds(discovery.ProbeIntervalMilliseconds);
        bootstrap.ContactPoint.FallbackPort = node.Management.Port;
        if (discovery.Method == DiscoverySettings.Config)
        {
            // Several nodes on one host differ only by port: keep every endpoint listed
            // instead of only those on the fallback port.
            bootstrap.ContactPoint.FilterOnFallbackPort = false;
        }
        else
        {
            bootstrap.ContactPointDiscovery.PortName = discovery.KubernetesApi.PortName;
        }

        // Started here rather than by Akka.Management, whose HTTP server cannot run (see
        // BootstrapSeedNodes): the node's ManagementEndpoint serves the route, and bootstrap
        // is told where that is.
        var selfContactPoint = new Uri($"http://{ManagementPublicHost(node)}:{node.Management.Port}/");
        return akka.WithClusterBootstrap(bootstrap, autoStart: false)
            .AddStartup(new StartupTask(async (system, _) =>
            {
                var clusterBootstrap = ClusterBootstrap.Get(system);
                clusterBootstrap.Routes(ManagementRouteProviderSettings.Create(selfContactPoint, readOnly: true));
                await clusterBootstrap.Start();
            }));
    }

    /// <summary>The management HTTP endpoint, for the discovery methods that bootstrap through it.</summary>
    public static IServiceCollection AddClusterFormation(this IServiceCollection services, NodeOptions node) =>
        node.Cluster.Discovery.UsesBootstrap
            ? services.AddSingleton(node).AddHostedService<ManagementEndpoint>()
            : services;

    public static string ManagementBindHost(NodeOptions node) =>
        string.IsNullOrEmpty(node.Management.Host) ? node.Remoting.Host : node.Management.Host;

    public static IPAddress[] BindAddresses(string host) =>
        IPAddress.TryParse(host, out var parsed) ? [parsed] : Dns.GetHostAddresses(host);

    private static string KubernetesDiscoveryHocon(KubernetesDiscoverySettings kubernetes) => $$"""
        akka.discovery {
          method = {{KubernetesPodDiscovery.MethodName}}
          {{KubernetesPodDiscovery.MethodName}} {
            class = {{typeof(KubernetesPodDiscovery).AssemblyQualifiedName!.ToHocon()}}
            pod-namespace = {{(kubernetes.Namespace ?? string.Empty).ToHocon()}}
            pod-label-selector = {{kubernetes.LabelSelector.ToHocon()}}
            port-name = {{kubernetes.PortName.ToHocon()}}
            api-url = {{(kubernetes.ApiUrl ?? string.Empty).ToHocon()}}
          }
        }
        """;

    private static string ManagementPublicHost(NodeOptions node) =>
        string.IsNullOrEmpty(node.Management.PublicHost) ? node.Remoting.EffectivePublicHost : node.Management.PublicHost;

    private static void EnsureFree(string host, int port, string key)
    {
        if (port == 0)
        {
            return;
        }

        foreach (var address in BindAddresses(host))
        {
            // No SO_REUSEADDR/SO_REUSEPORT: the probe fails exactly when another socket
            // listens on the port (a socket in TIME_WAIT does not stop it on Linux).
            using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(address, port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                throw new PortInUseException(
                    $"{key}={port}: {address}:{port} is already in use (is this node already running?). "
                    + "A node never shares its port with another: choose a free one.");
            }
        }
    }
}

/// <summary>A port this node must listen on is taken: the node does not start.</summary>
public sealed class PortInUseException(string message) : InvalidOperationException(message);
