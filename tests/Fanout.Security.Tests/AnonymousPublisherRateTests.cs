using System.Net;
using Fanout.AspNetCore.Configuration;
using Microsoft.Extensions.Configuration;

namespace Fanout.Security.Tests;

/// <summary>
/// Publishes without a token (auth off, the README's node) are counted per client IP, except
/// from this host and the listed backend networks: a backend that publishes for all its users
/// must not meet the default limit.
/// </summary>
public sealed class AnonymousPublisherRateTests
{
    private const int PublishPermits = 2;

    private static readonly string[] TightRate =
        [$"Fanout:Limits:PublishPermitLimit={PublishPermits}", "Fanout:Limits:PublishWindowSeconds=60"];

    [Fact]
    public async Task A_publisher_on_this_host_is_not_throttled_by_default()
    {
        await using var node = await TestNode.StartAsync(TightRate);
        Assert.All(await PublishManyAsync(node), status => Assert.Equal(HttpStatusCode.Accepted, status));
    }

    [Fact]
    public async Task Without_the_loopback_exemption_a_publisher_on_this_host_is_counted_by_its_address()
    {
        await using var node = await TestNode.StartAsync([.. TightRate, "Fanout:Limits:UnlimitedLoopbackPublishers=false"]);
        var statuses = await PublishManyAsync(node);
        Assert.All(statuses.Take(PublishPermits), status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.All(statuses.Skip(PublishPermits), status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
    }

    [Fact]
    public async Task A_listed_backend_network_is_not_throttled()
    {
        await using var node = await TestNode.StartAsync(
            [.. TightRate, "Fanout:Limits:UnlimitedLoopbackPublishers=false", "Fanout:Limits:UnlimitedPublisherNetworks:0=127.0.0.0/8"]);
        Assert.All(await PublishManyAsync(node), status => Assert.Equal(HttpStatusCode.Accepted, status));
    }

    [Fact]
    public void A_network_that_is_not_cidr_stops_the_node_naming_its_key()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Fanout:Limits:UnlimitedPublisherNetworks:0"] = "10.1.0.0/16",
                ["Fanout:Limits:UnlimitedPublisherNetworks:1"] = "backends",
            })
            .Build()
            .GetSection("Fanout");

        var error = Assert.Throws<InvalidFanoutConfigurationException>(() => FanoutSettings.Load(section));
        Assert.Equal(
            "Fanout:Limits:UnlimitedPublisherNetworks:1 'backends' is not a network in CIDR notation (e.g. 10.1.0.0/16 or fd00::/8).",
            Assert.Single(error.Problems));
    }

    private static async Task<List<HttpStatusCode>> PublishManyAsync(TestNode node)
    {
        var topic = $"anonymous/{Guid.NewGuid():N}";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PublishPermits * 3; i++)
        {
            using var response = await node.PublishAsync(topic, token: null);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
