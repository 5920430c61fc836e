using System.Net;
using System.Text.Json;
using Fanout.Testing;
using Npgsql;

namespace Fanout.Operations.Tests;

/// <summary>
/// Readiness includes the journal on a durable store: a node whose journal stops answering
/// leaves the balancer (503) before its publishes would time out, and comes back once the
/// journal answers again. The network to PostgreSQL is played by a proxy.
/// </summary>
public sealed class JournalReadinessSpec
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [SkippableFact]
    public async Task A_node_whose_journal_stops_answering_is_not_ready_until_it_answers_again()
    {
        await using var postgres = await TestPostgres.CreateOrSkipAsync("journal_readiness");
        var server = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
        await using var network = LoopbackProxy.Start(new Uri($"http://{server.Host}:{server.Port}"));
        var throughProxy = new NpgsqlConnectionStringBuilder(postgres.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = network.Url.Port,
            Timeout = 3,
            CommandTimeout = 3,
        };
        var (app, url) = await LoopbackNode.StartAsync(
            ["--Fanout:Store:Kind=postgresql", $"--Fanout:Store:ConnectionString={throughProxy.ConnectionString}"]);
        await using var node = app;
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };

        var ready = await ReadinessAsync(http);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.True(ready.Body.GetProperty("journal").GetProperty("reachable").GetBoolean(), ready.Body.ToString());

        network.CutAndHold();
        await Eventually.HoldsAsync(
            async () => (await ReadinessAsync(http)) is { Status: HttpStatusCode.ServiceUnavailable } answer
                        && !answer.Body.GetProperty("journal").GetProperty("reachable").GetBoolean(),
            Patience,
            "/readyz answers 503 with the journal unreachable while PostgreSQL cannot be reached");

        network.Restore();
        await Eventually.HoldsAsync(
            async () => (await ReadinessAsync(http)).Status == HttpStatusCode.OK,
            Patience,
            "/readyz answers 200 again once PostgreSQL answers");
    }

    [Fact]
    public async Task A_node_on_the_memory_store_reports_no_journal()
    {
        var (app, url) = await LoopbackNode.StartAsync([]);
        await using var node = app;
        using var http = new HttpClient { BaseAddress = url };

        var ready = await ReadinessAsync(http);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.False(ready.Body.TryGetProperty("journal", out _), ready.Body.ToString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadinessAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }
}
