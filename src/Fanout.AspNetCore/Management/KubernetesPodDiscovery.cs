using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Akka.Discovery;
using Akka.Event;
using k8s;

namespace Fanout.AspNetCore.Management;

/// <summary>
/// Akka.Discovery through the Kubernetes API: the running pods of a label selector in one
/// namespace, each with its pod IP and the container port of the lookup's port name. The
/// node's own because Akka.Discovery.KubernetesApi 1.5.73 is built against a
/// KubernetesClient that is not served, and fails on every lookup with the ones that are.
/// Settings under <see cref="ConfigPath"/> (written from <c>Fanout:Cluster:Discovery:KubernetesApi</c>).
/// </summary>
public sealed class KubernetesPodDiscovery : ServiceDiscovery
{
    public const string MethodName = "fanout-kubernetes";
    public const string ConfigPath = "akka.discovery." + MethodName;
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    private readonly ILoggingAdapter _log;
    private readonly string _namespace;
    private readonly string _labelSelector;
    private readonly string _defaultPortName;
    private readonly Lazy<IKubernetes> _client;

    public KubernetesPodDiscovery(ExtendedActorSystem system)
    {
        _log = Logging.GetLogger(system, typeof(KubernetesPodDiscovery));
        var config = system.Settings.Config.GetConfig(ConfigPath);
        var configuredNamespace = config.GetString("pod-namespace", string.Empty);
        _namespace = configuredNamespace.Length > 0 ? configuredNamespace
            : File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim()
            : "default";
        _labelSelector = config.GetString("pod-label-selector", "app=fanout");
        _defaultPortName = config.GetString("port-name", "management");
        var apiUrl = config.GetString("api-url", string.Empty);

        // In a pod: the service account's token and CA. With api-url: that server as it is
        // (kubectl proxy, a test's stand-in).
        _client = new Lazy<IKubernetes>(() => new Kubernetes(apiUrl.Length > 0
            ? new KubernetesClientConfiguration { Host = apiUrl }
            : KubernetesClientConfiguration.InClusterConfig()));
    }

    public override async Task<Resolved> Lookup(Lookup lookup, TimeSpan resolveTimeout)
    {
        using var timeout = new CancellationTokenSource(resolveTimeout);
        var pods = await _client.Value.CoreV1.ListNamespacedPodAsync(
            _namespace, labelSelector: _labelSelector, cancellationToken: timeout.Token);
        var portName = string.IsNullOrEmpty(lookup.PortName) ? _defaultPortName : lookup.PortName;
        var targets = new List<ResolvedTarget>();
        foreach (var pod in pods.Items)
        {
            // A pod being deleted or not yet running cannot answer a probe.
            if (pod.Status?.Phase != "Running" || pod.Metadata?.DeletionTimestamp is not null
                || !IPAddress.TryParse(pod.Status.PodIP, out var ip))
            {
                continue;
            }

            var port = pod.Spec?.Containers?
                .SelectMany(c => c.Ports ?? [])
                .FirstOrDefault(p => p.Name == portName)?.ContainerPort;
            targets.Add(new ResolvedTarget(pod.Status.PodIP, port, ip));
        }

        _log.Debug("Pods of {0} in {1}: {2}", _labelSelector, _namespace, string.Join(", ", targets.Select(t => $"{t.Host}:{t.Port}")));
        return new Resolved(lookup.ServiceName, targets.ToImmutableList());
    }
}
