using Fanout.Server;
using Fanout.AspNetCore.Configuration;

namespace Fanout.Server.Tests;

/// <summary>The store settings are checked at start: each refusal is one line naming its key.</summary>
public sealed class StoreSettingsTests
{
    [Theory]
    [InlineData("Fanout:Store:Kind must be sqlite, postgresql or memory", "--Fanout:Store:Kind=redis")]
    [InlineData("Fanout:Store:ConnectionString must be set for Fanout:Store:Kind=postgresql", "--Fanout:Store:Kind=postgresql")]
    [InlineData("Fanout:Store:ConnectionString has no meaning for Fanout:Store:Kind=memory", "--Fanout:Store:Kind=memory", "--Fanout:Store:ConnectionString=Data Source=x.db")]
    [InlineData("Fanout:Topic:HistoryMaxAgeSeconds may not be negative", "--Fanout:Topic:HistoryMaxAgeSeconds=-1")]
    [InlineData("Fanout:Topic:MaxActivePerNode may not be negative", "--Fanout:Topic:MaxActivePerNode=-5")]
    [InlineData("Fanout:Store:Kind=sqlite keeps history in this node's own file", "--Fanout:Cluster:SeedNodes:0=akka.tcp://fanout@127.0.0.1:4053", "--Fanout:Cluster:SeedNodes:1=akka.tcp://fanout@127.0.0.1:4054")]
    [InlineData("Fanout:Store:Kind=sqlite keeps history in this node's own file", "--Fanout:Cluster:Discovery:Method=config", "--Fanout:Cluster:Discovery:Endpoints:0=127.0.0.1:8558", "--Fanout:Cluster:Discovery:Endpoints:1=127.0.0.1:8559")]
    [InlineData("Fanout:Store:Kind=sqlite keeps history in this node's own file", "--Fanout:Cluster:Discovery:Method=kubernetes")]
    public void A_store_setting_that_cannot_work_stops_the_node_naming_its_key(string problem, params string[] settings)
    {
        var error = Assert.Throws<InvalidFanoutConfigurationException>(() =>
            FanoutNode.Build(["--urls", "http://127.0.0.1:0", "--Fanout:Remoting:Port=0", .. settings]));

        Assert.Contains(error.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--Fanout:Store:Kind=sqlite")]
    [InlineData("--Fanout:Store:Kind=SQLite", "--Fanout:Store:ConnectionString=Data Source=elsewhere/fanout.db")]
    [InlineData("--Fanout:Store:Kind=postgresql", "--Fanout:Store:ConnectionString=Host=127.0.0.1;Database=fanout", "--Fanout:Cluster:Discovery:Method=kubernetes")]
    [InlineData("--Fanout:Store:Kind=memory", "--Fanout:Cluster:SeedNodes:0=akka.tcp://fanout@127.0.0.1:4053", "--Fanout:Cluster:SeedNodes:1=akka.tcp://fanout@127.0.0.1:4054")]
    [InlineData("--Fanout:Remoting:Port=4053", "--Fanout:Cluster:SeedNodes:0=akka.tcp://fanout@127.0.0.1:4053")]
    public async Task A_store_that_fits_the_node_is_accepted(params string[] settings)
    {
        // Building is enough: the settings are checked there (nothing starts or binds).
        await using var app = FanoutNode.Build(["--urls", "http://127.0.0.1:0", .. settings]);
        Assert.NotNull(app);
    }
}
