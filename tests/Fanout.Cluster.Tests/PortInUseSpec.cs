using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Fanout.Server;
using Fanout.AspNetCore.Configuration;

namespace Fanout.Cluster.Tests;

/// <summary>
/// A second node on a remoting port in use fails alone: it never binds, never joins, and the
/// node already there stays Up and ready (issue 15).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PortInUseSpec
{
    [Fact]
    public async Task A_second_node_on_the_same_remoting_port_does_not_start_and_the_first_stays_up()
    {
        var port = LoopbackPorts.Take(1)[0];
        await using var first = await TestNode.StartAsync(null, $"--Fanout:Remoting:Port={port}");

        var refused = Assert.Throws<PortInUseException>(() => FanoutNode.Build(
            ["--urls", "http://127.0.0.1:0", $"--Fanout:Remoting:Port={port}"]));
        Assert.Contains($"Fanout:Remoting:Port={port}", refused.Message);

        await AssertAloneAndReadyAsync(first);
    }

    [Fact]
    public async Task Akka_remoting_itself_refuses_to_bind_a_port_in_use()
    {
        // Past the node's own check (a start racing another): the transport's bind fails
        // because hocon/fanout.hocon turns address reuse off.
        var port = LoopbackPorts.Take(1)[0];
        await using var first = await TestNode.StartAsync(null, $"--Fanout:Remoting:Port={port}");
        var config = ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp {{ hostname = 127.0.0.1, port = {port} }}")
            .WithFallback(HoconFiles.Load());

        var failure = Record.Exception(() =>
        {
            using var second = ActorSystem.Create(FanoutNode.ActorSystemName, config);
        });

        Assert.NotNull(failure);
        await AssertAloneAndReadyAsync(first);
    }

    [Fact]
    public async Task A_second_process_on_the_same_remoting_port_exits_non_zero_saying_why()
    {
        var port = LoopbackPorts.Take(1)[0];
        await using var first = await TestNode.StartAsync(null, $"--Fanout:Remoting:Port={port}");
        var (exitCode, output, errorLines) = await NodeProcess.RunToExitAsync(TimeSpan.FromSeconds(60), $"--Fanout:Remoting:Port={port}");

        // Exit code 1 with one line saying why, no stack trace: a refused start, not a crash.
        Assert.Equal(1, exitCode);
        var errors = string.Join('\n', errorLines);
        Assert.Contains($"Fanout:Remoting:Port={port}", errors + '\n' + string.Join('\n', output));
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        await AssertAloneAndReadyAsync(first);
    }

    private static async Task AssertAloneAndReadyAsync(TestNode node)
    {
        var cluster = Akka.Cluster.Cluster.Get(node.System);
        Assert.Equal(MemberStatus.Up, cluster.SelfMember.Status);
        Assert.Single(cluster.State.Members);
        using var ready = await node.Http.GetAsync("/readyz");
        Assert.True(ready.IsSuccessStatusCode, $"/readyz answered {(int)ready.StatusCode}");
    }
}
