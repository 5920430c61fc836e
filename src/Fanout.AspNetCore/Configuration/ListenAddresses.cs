namespace Fanout.AspNetCore.Configuration;

/// <summary>
/// Where the node's HTTP server listens. ASP.NET Core decides, from its own settings and
/// with its own precedence: a <c>Kestrel:Endpoints</c> section wins over <c>urls</c>
/// (<c>--urls</c>, <c>ASPNETCORE_URLS</c>), which wins over <c>http_ports</c> /
/// <c>https_ports</c> (<c>ASPNETCORE_HTTP_PORTS</c>, set by the official ASP.NET container
/// images, which means every interface). Only when none of them is set does the node fall
/// back to <see cref="Default"/>, loopback only, instead of Kestrel's own localhost:5000.
/// </summary>
public static class ListenAddresses
{
    public const string Default = FanoutNodeDefaults.Url;

    public const string KestrelEndpointsSection = "Kestrel:Endpoints";

    /// <summary>Listens on <see cref="Default"/> unless the configuration says where to listen.</summary>
    public static void UseDefaultUnlessConfigured(WebApplicationBuilder builder)
    {
        if (DefaultFor(builder.Configuration) is { } url)
        {
            builder.WebHost.UseUrls(url);
        }
    }

    /// <summary>The address to add when the configuration names none; null when it names one.</summary>
    public static string? DefaultFor(IConfiguration configuration)
    {
        var named = HasValue(configuration[WebHostDefaults.ServerUrlsKey])
                    || HasValue(configuration[WebHostDefaults.HttpPortsKey])
                    || HasValue(configuration[WebHostDefaults.HttpsPortsKey])
                    || configuration.GetSection(KestrelEndpointsSection).GetChildren().Any();
        return named ? null : Default;
    }

    // ASP.NET Core splits these lists on ';' and drops empty entries, so ";" names nothing.
    private static bool HasValue(string? list) =>
        list?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length > 0;
}
