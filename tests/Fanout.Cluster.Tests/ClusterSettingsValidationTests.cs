using Fanout.AspNetCore.Configuration;
using Microsoft.Extensions.Configuration;

namespace Fanout.Cluster.Tests;

/// <summary>Cluster formation settings that cannot work are named at start, one line each (issue 15).</summary>
public sealed class ClusterSettingsValidationTests
{
    [Theory]
    [InlineData("Fanout:Cluster:Discovery:Method must be seeds, config or kubernetes.", "--Fanout:Cluster:Discovery:Method=dns")]
    [InlineData("Fanout:Cluster:Discovery:Endpoints must list", "--Fanout:Cluster:Discovery:Method=config")]
    [InlineData("Fanout:Cluster:Discovery:Endpoints entry '127.0.0.1' is not host:port", "--Fanout:Cluster:Discovery:Method=config", "--Fanout:Cluster:Discovery:Endpoints:0=127.0.0.1")]
    [InlineData("Fanout:Cluster:Discovery:RequiredContactPoints may not exceed", "--Fanout:Cluster:Discovery:Method=config", "--Fanout:Cluster:Discovery:Endpoints:0=127.0.0.1:8558", "--Fanout:Cluster:Discovery:RequiredContactPoints=2")]
    [InlineData("Fanout:Cluster:SeedNodes is only read with Fanout:Cluster:Discovery:Method=seeds", "--Fanout:Cluster:Discovery:Method=kubernetes", "--Fanout:Cluster:SeedNodes:0=akka.tcp://fanout@127.0.0.1:4053")]
    [InlineData("Fanout:Cluster:MinimumMembers must be at least 1.", "--Fanout:Cluster:MinimumMembers=0")]
    [InlineData("Fanout:Management:Port must be 1-65535.", "--Fanout:Cluster:Discovery:Method=kubernetes", "--Fanout:Management:Port=0")]
    public void A_setting_that_cannot_form_a_cluster_is_named(string problem, params string[] settings)
    {
        var problems = Bind(settings).Validate().ToList();

        Assert.Contains(problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2, "--Fanout:Cluster:SeedNodes:0=akka.tcp://fanout@127.0.0.1:4053", "--Fanout:Cluster:SeedNodes:1=akka.tcp://fanout@127.0.0.1:4054", "--Fanout:Cluster:SeedNodes:2=akka.tcp://fanout@127.0.0.1:4055")]
    [InlineData(2, "--Fanout:Cluster:Discovery:Method=config", "--Fanout:Cluster:Discovery:Endpoints:0=127.0.0.1:8558", "--Fanout:Cluster:Discovery:Endpoints:1=127.0.0.1:8559")]
    [InlineData(3, "--Fanout:Cluster:Discovery:Method=kubernetes", "--Fanout:Cluster:Discovery:RequiredContactPoints=5")]
    [InlineData(1, "--Fanout:Cluster:MinimumMembers=1", "--Fanout:Cluster:Discovery:Method=kubernetes", "--Fanout:Cluster:Discovery:RequiredContactPoints=5")]
    public void The_minimum_cluster_size_is_a_majority_of_the_nodes_a_node_is_told_about(int expected, params string[] settings)
    {
        var node = Bind(settings);

        Assert.Empty(node.Validate());
        Assert.Equal(expected, node.Cluster.EffectiveMinimumMembers);
    }

    private static NodeOptions Bind(string[] settings) =>
        new ConfigurationBuilder()
            .AddCommandLine(settings)
            .Build()
            .GetSection("Fanout")
            .Get<NodeOptions>() ?? new NodeOptions();
}
