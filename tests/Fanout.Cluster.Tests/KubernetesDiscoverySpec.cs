using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fanout.Cluster.Tests;

/// <summary>
/// The <c>kubernetes</c> discovery method against a stand-in for the Kubernetes API on
/// 127.0.0.1 (no cluster here): the node lists the pods of its label selector in its
/// namespace, probes the management port each names, and bootstraps (issue 15).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class KubernetesDiscoverySpec
{
    [Fact]
    public async Task A_node_finds_its_pods_through_the_api_and_bootstraps_from_them()
    {
        var ports = LoopbackPorts.Take(2);
        var (remotingPort, managementPort) = (ports[0], ports[1]);
        var requests = new ConcurrentQueue<string>();
        await using var api = await StartFakeApiAsync(requests, podManagementPort: managementPort);

        await using var node = await TestNode.StartAsync(
            null,
            $"--Fanout:Remoting:Port={remotingPort}",
            $"--Fanout:Management:Port={managementPort}",
            "--Fanout:Cluster:Discovery:Method=kubernetes",
            "--Fanout:Cluster:Discovery:RequiredContactPoints=1",
            "--Fanout:Cluster:Discovery:StableMarginMilliseconds=1000",
            "--Fanout:Cluster:Discovery:ProbeIntervalMilliseconds=500",
            "--Fanout:Cluster:Discovery:KubernetesApi:Namespace=shop",
            "--Fanout:Cluster:Discovery:KubernetesApi:LabelSelector=app=fanout-test",
            $"--Fanout:Cluster:Discovery:KubernetesApi:ApiUrl={api.Urls.First()}");

        Assert.Contains("/api/v1/namespaces/shop/pods labelSelector=app=fanout-test", requests);
        Assert.Equal(Akka.Cluster.MemberStatus.Up, Akka.Cluster.Cluster.Get(node.System).SelfMember.Status);
    }

    /// <summary>Answers a pod list (the bound address is in <c>Urls</c> once started): one running pod on 127.0.0.1, one being deleted, one pending.</summary>
    private static async Task<WebApplication> StartFakeApiAsync(ConcurrentQueue<string> requests, int podManagementPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/api/v1/namespaces/{ns}/pods", (HttpContext http) =>
        {
            requests.Enqueue($"{http.Request.Path} labelSelector={http.Request.Query["labelSelector"]}");
            return Results.Text(PodList(podManagementPort), "application/json");
        });
        await app.StartAsync();
        return app;
    }

    private static string PodList(int managementPort) => $$"""
        {
          "apiVersion": "v1", "kind": "PodList", "metadata": {},
          "items": [
            { "metadata": { "name": "fanout-0" },
              "spec": { "containers": [ { "name": "fanout", "ports": [ { "name": "http", "containerPort": 8080 }, { "name": "management", "containerPort": {{managementPort}} } ] } ] },
              "status": { "phase": "Running", "podIP": "127.0.0.1" } },
            { "metadata": { "name": "fanout-old", "deletionTimestamp": "2026-01-01T00:00:00Z" },
              "spec": { "containers": [ { "name": "fanout", "ports": [ { "name": "management", "containerPort": 1 } ] } ] },
              "status": { "phase": "Running", "podIP": "127.0.0.2" } },
            { "metadata": { "name": "fanout-new" },
              "spec": { "containers": [ { "name": "fanout", "ports": [ { "name": "management", "containerPort": 1 } ] } ] },
              "status": { "phase": "Pending" } }
          ]
        }
        """;
}
