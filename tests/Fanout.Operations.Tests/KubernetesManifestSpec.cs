using Fanout.AspNetCore.Lifecycle;
using YamlDotNet.RepresentationModel;
using static Fanout.Operations.Tests.KubernetesManifests;

namespace Fanout.Operations.Tests;

/// <summary>
/// deploy/kubernetes agrees with itself and with the node (issue 15). No cluster runs here,
/// so what a cluster would catch at apply time is checked by reading the manifests: the drain
/// fits the grace period, probes use the node's paths, ports and selectors line up, and the
/// pod may list the pods discovery looks for.
/// </summary>
public sealed class KubernetesManifestSpec
{
    private readonly KubernetesManifests _manifests = new(Path.Combine(RepositoryFolder.Find(), "deploy", "kubernetes"));

    private YamlMappingNode StatefulSet => _manifests.Single("StatefulSet");

    private YamlMappingNode Container => Assert.Single(Items(StatefulSet, "spec", "template", "spec", "containers"));

    [Fact]
    public void The_grace_period_covers_the_preStop_wait_and_the_whole_drain()
    {
        var grace = int.Parse(Text(StatefulSet, "spec", "template", "spec", "terminationGracePeriodSeconds")!);
        var preStop = Strings(Container, "lifecycle", "preStop", "exec", "command").ToList();
        Assert.Equal("sleep", preStop[0]);
        var drain = Environment().TryGetValue("Fanout__Shutdown__DrainSeconds", out var value)
            ? int.Parse(value)
            : new ShutdownSettings().DrainSeconds;

        Assert.True(grace > int.Parse(preStop[1]) + drain, $"terminationGracePeriodSeconds {grace} must exceed preStop {preStop[1]} s + drain {drain} s");
    }

    [Fact]
    public void Probes_use_the_node_s_health_paths_on_the_port_it_listens_on()
    {
        Assert.Equal("/readyz", Text(Container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/healthz", Text(Container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/healthz", Text(Container, "startupProbe", "httpGet", "path"));
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            Assert.Equal("http", Text(Container, probe, "httpGet", "port"));
        }

        Assert.Equal(Environment()["ASPNETCORE_HTTP_PORTS"], ContainerPort("http"));
    }

    [Fact]
    public void Remoting_and_public_host_are_the_pod_IP_and_the_ports_match_the_settings()
    {
        foreach (var name in new[] { "Fanout__Remoting__Host", "Fanout__Remoting__PublicHost" })
        {
            var variable = Assert.Single(Items(Container, "env"), e => Text(e, "name") == name);
            Assert.Equal("status.podIP", Text(variable, "valueFrom", "fieldRef", "fieldPath"));
        }

        Assert.Equal(Environment()["Fanout__Remoting__Port"], ContainerPort("remoting"));
        Assert.Equal(Environment()["Fanout__Management__Port"], ContainerPort("management"));
    }

    [Fact]
    public void Discovery_finds_these_pods_and_may_list_them()
    {
        var podLabels = Labels(At(StatefulSet, "spec", "template", "metadata", "labels")!);
        Assert.Equal("kubernetes", Environment()["Fanout__Cluster__Discovery__Method"]);
        var selector = Environment()["Fanout__Cluster__Discovery__KubernetesApi__LabelSelector"];
        Assert.All(selector.Split(','), term => Assert.Contains(term, podLabels));

        var account = Text(StatefulSet, "spec", "template", "spec", "serviceAccountName");
        var binding = Assert.Single(_manifests.OfKind("RoleBinding"), b => Items(b, "subjects").Any(s => Text(s, "kind") == "ServiceAccount" && Text(s, "name") == account));
        var role = _manifests.Single("Role", Text(binding, "roleRef", "name"));
        var rule = Assert.Single(Items(role, "rules"), r => Strings(r, "resources").Contains("pods"));
        Assert.Equal([""], Strings(rule, "apiGroups"));
        Assert.Equal(["get", "list", "watch"], Strings(rule, "verbs").Order());
    }

    [Fact]
    public void The_governing_service_is_headless_lists_unready_pods_and_both_services_select_the_pods()
    {
        var podLabels = Labels(At(StatefulSet, "spec", "template", "metadata", "labels")!);
        var headless = _manifests.Single("Service", Text(StatefulSet, "spec", "serviceName"));
        Assert.Equal("None", Text(headless, "spec", "clusterIP"));
        Assert.Equal("true", Text(headless, "spec", "publishNotReadyAddresses"));
        Assert.Equal("Parallel", Text(StatefulSet, "spec", "podManagementPolicy"));
        Assert.Subset(podLabels, Labels(At(StatefulSet, "spec", "selector", "matchLabels")!));
        foreach (var service in _manifests.OfKind("Service"))
        {
            Assert.Subset(podLabels, Labels(At(service, "spec", "selector")!));
        }
    }

    [Fact]
    public void The_kustomization_lists_every_manifest()
    {
        var kustomization = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(_manifests.Folder, "kustomization.yaml")))
        {
            kustomization.Load(reader);
        }

        var listed = Strings(kustomization.Documents[0].RootNode, "resources").Order(StringComparer.Ordinal);
        var files = Directory.GetFiles(_manifests.Folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order(StringComparer.Ordinal);
        Assert.Equal(files, listed);
    }

    private Dictionary<string, string> Environment() =>
        Items(Container, "env")
            .Where(e => Text(e, "value") is not null)
            .ToDictionary(e => Text(e, "name")!, e => Text(e, "value")!);

    private string? ContainerPort(string name) =>
        Text(Assert.Single(Items(Container, "ports"), p => Text(p, "name") == name), "containerPort");

    private static HashSet<string> Labels(YamlNode labels) =>
        ((YamlMappingNode)labels).Children.Select(c => $"{c.Key}={c.Value}").ToHashSet();
}
