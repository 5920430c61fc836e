using System.Net;

namespace Fanout.Operations.Tests;

/// <summary>
/// The node as its own process listens where the environment says, the ASP.NET Core way
/// (issue 15): ASPNETCORE_HTTP_PORTS as the official container images set it, ASPNETCORE_URLS,
/// and the latter winning over the former. The default (127.0.0.1:8080) is asserted in
/// <see cref="ListenAddressesSpec"/>, without binding a fixed port here.
/// </summary>
public sealed class ListenEnvironmentSpec
{
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ASPNETCORE_HTTP_PORTS_is_the_one_port_the_node_listens_on()
    {
        var port = LoopbackPorts.Take(1)[0];
        await using var node = await StartAsync(("ASPNETCORE_HTTP_PORTS", port.ToString()));

        // "*:port" means every interface: Kestrel reports [::] (or 0.0.0.0 without IPv6).
        var address = Assert.Single(node.Listening);
        Assert.Equal(port, address.Port);
        Assert.True(IPAddress.Parse(address.Host.Trim('[', ']')).Equals(IPAddress.IPv6Any) || address.Host == "0.0.0.0", node.Transcript);
        await AssertReadyAsync(node);
        Assert.Equal(0, await node.TerminateAsync(StopWithin));
    }

    [Fact]
    public async Task ASPNETCORE_URLS_is_where_the_node_listens()
    {
        var port = LoopbackPorts.Take(1)[0];
        await using var node = await StartAsync(("ASPNETCORE_URLS", $"http://127.0.0.1:{port}"));

        Assert.Equal([new Uri($"http://127.0.0.1:{port}")], node.Listening);
        await AssertReadyAsync(node);
        Assert.Equal(0, await node.TerminateAsync(StopWithin));
    }

    [Fact]
    public async Task ASPNETCORE_URLS_wins_over_ASPNETCORE_HTTP_PORTS_as_in_ASP_NET_Core()
    {
        var ports = LoopbackPorts.Take(2);
        var (urlsPort, httpPort) = (ports[0], ports[1]);
        await using var node = await StartAsync(
            ("ASPNETCORE_URLS", $"http://127.0.0.1:{urlsPort}"),
            ("ASPNETCORE_HTTP_PORTS", httpPort.ToString()));

        Assert.Equal([new Uri($"http://127.0.0.1:{urlsPort}")], node.Listening);
        Assert.Equal(0, await node.TerminateAsync(StopWithin));
    }

    /// <summary>The build beside the tests, history in memory as <see cref="NodeProcess.StartAsync"/> keeps it, settings from the environment only.</summary>
    private static Task<NodeProcess> StartAsync(params (string Name, string Value)[] environment)
    {
        var settings = environment.ToDictionary(e => e.Name, e => e.Value);
        settings["Fanout__Remoting__Port"] = "0";
        settings["Fanout__Store__Kind"] = "memory";
        return NodeProcess.StartCommandLineAsync(
            "dotnet",
            [NodeProcess.ServerBuild],
            AppContext.BaseDirectory,
            settings);
    }

    internal static async Task AssertReadyAsync(NodeProcess node)
    {
        using var http = new HttpClient { BaseAddress = node.LoopbackUrl(), Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.HoldsAsync(
            async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60),
            "/readyz answers 200");
    }
}
