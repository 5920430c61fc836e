namespace Fanout.AspNetCore.Configuration;

/// <summary>Cluster bootstrap through Akka.Discovery (<c>Fanout:Cluster:Discovery</c>).</summary>
public sealed class DiscoverySettings
{
    public const string Seeds = "seeds";
    public const string Config = "config";
    public const string Kubernetes = "kubernetes";

    /// <summary><c>seeds</c>: the static <c>Fanout:Cluster:SeedNodes</c>; <c>config</c> or <c>kubernetes</c>: Akka.Management cluster bootstrap.</summary>
    public string Method { get; set; } = Seeds;

    /// <summary>The Akka.Management endpoints (<c>host:port</c>) of every node, for method <c>config</c>.</summary>
    public string[] Endpoints { get; set; } = [];

    /// <summary>Contact points that must be found (and all answer) before a first cluster forms. Unset: every endpoint (<c>config</c>), 2 (<c>kubernetes</c>).</summary>
    public int? RequiredContactPoints { get; set; }

    /// <summary>How long the contact points found must stay the same before a new cluster may form.</summary>
    public int StableMarginMilliseconds { get; set; } = 5000;

    /// <summary>How often a bootstrapping node asks each contact point whether it is in a cluster.</summary>
    public int ProbeIntervalMilliseconds { get; set; } = 1000;

    public KubernetesDiscoverySettings KubernetesApi { get; set; } = new();

    public bool UsesBootstrap => Method is Config or Kubernetes;

    public int EffectiveRequiredContactPoints => RequiredContactPoints ?? (Method == Config ? Endpoints.Length : 2);

    public IEnumerable<string> Validate()
    {
        if (Method is not (Seeds or Config or Kubernetes))
        {
            yield return "Fanout:Cluster:Discovery:Method must be seeds, config or kubernetes.";
            yield break;
        }

        if (Method == Config && Endpoints.Length == 0)
        {
            yield return "Fanout:Cluster:Discovery:Endpoints must list the management endpoint (host:port) of every node when Fanout:Cluster:Discovery:Method is config.";
        }

        foreach (var endpoint in Endpoints)
        {
            if (!IsHostAndPort(endpoint))
            {
                yield return $"Fanout:Cluster:Discovery:Endpoints entry '{endpoint}' is not host:port (e.g. 127.0.0.1:8558).";
            }
        }

        if (RequiredContactPoints is < 1)
        {
            yield return "Fanout:Cluster:Discovery:RequiredContactPoints must be at least 1.";
        }
        else if (Method == Config && RequiredContactPoints > Endpoints.Length)
        {
            yield return "Fanout:Cluster:Discovery:RequiredContactPoints may not exceed the number of Fanout:Cluster:Discovery:Endpoints: the first cluster would never form.";
        }

        if (StableMarginMilliseconds < 0)
        {
            yield return "Fanout:Cluster:Discovery:StableMarginMilliseconds may not be negative.";
        }

        if (ProbeIntervalMilliseconds < 100)
        {
            yield return "Fanout:Cluster:Discovery:ProbeIntervalMilliseconds must be at least 100.";
        }

        if (Method == Kubernetes && string.IsNullOrWhiteSpace(KubernetesApi.LabelSelector))
        {
            yield return "Fanout:Cluster:Discovery:KubernetesApi:LabelSelector may not be empty when Fanout:Cluster:Discovery:Method is kubernetes.";
        }
    }

    private static bool IsHostAndPort(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0
               && int.TryParse(endpoint.AsSpan(colon + 1), out var port)
               && port is > 0 and <= 65535;
    }
}

/// <summary>Pod discovery through the Kubernetes API (<c>Fanout:Cluster:Discovery:KubernetesApi</c>).</summary>
public sealed class KubernetesDiscoverySettings
{
    /// <summary>Namespace whose pods are listed. Unset: the pod's own (read from its service account).</summary>
    public string? Namespace { get; set; }

    /// <summary>Pods of this selector are the contact points.</summary>
    public string LabelSelector { get; set; } = "app=fanout";

    /// <summary>Name of the container port that serves the management endpoint (<c>Fanout:Management:Port</c>).</summary>
    public string PortName { get; set; } = "management";

    /// <summary>The API server to ask. Unset: the pod's own (service account token and CA); set it for <c>kubectl proxy</c>.</summary>
    public string? ApiUrl { get; set; }
}
