using Fanout.AspNetCore.Configuration;
using Microsoft.Extensions.Configuration;

namespace Fanout.Operations.Tests;

/// <summary>The node adds its loopback default only when ASP.NET Core's own settings name no address.</summary>
public sealed class ListenAddressesSpec
{
    [Fact]
    public void Nothing_configured_listens_on_127_0_0_1_port_8080()
    {
        Assert.Equal("http://127.0.0.1:8080", ListenAddresses.DefaultFor(Configuration()));
    }

    [Theory]
    [InlineData("urls", "http://127.0.0.1:9000")]
    [InlineData("http_ports", "9000")]
    [InlineData("https_ports", "9443")]
    [InlineData("Kestrel:Endpoints:Web:Url", "http://127.0.0.1:9000")]
    public void Any_ASP_NET_Core_listen_setting_replaces_the_default(string key, string value)
    {
        Assert.Null(ListenAddresses.DefaultFor(Configuration((key, value))));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ; ")]
    public void A_listen_setting_that_names_no_address_leaves_the_default(string value)
    {
        Assert.Equal(ListenAddresses.Default, ListenAddresses.DefaultFor(Configuration(("urls", value), ("http_ports", value))));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
}
