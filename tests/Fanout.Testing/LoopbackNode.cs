using Fanout.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Testing;

/// <summary>
/// Starts a real node in this process: Kestrel and Akka remoting on ports the OS picks on
/// 127.0.0.1, handed back once <c>/readyz</c> answers 200 (an Up cluster member).
/// </summary>
public static class LoopbackNode
{
    public static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromSeconds(30);

    /// <param name="args">Command-line style settings (<c>--Key=Value</c>) after the ephemeral ports.</param>
    /// <param name="configure">Extra builder set-up, e.g. a log provider.</param>
    public static async Task<(WebApplication App, Uri Url)> StartAsync(
        IEnumerable<string> args, Action<WebApplicationBuilder>? configure = null, TimeSpan? readyWithin = null)
    {
        var (app, url) = await StartUnreadyAsync(args, configure);
        try
        {
            await AwaitReadyAsync(url, readyWithin ?? DefaultReadyTimeout);
            return (app, url);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>As <see cref="StartAsync"/>, handed back once it listens, ready or not (a node expected to stay unready).</summary>
    public static async Task<(WebApplication App, Uri Url)> StartUnreadyAsync(
        IEnumerable<string> args, Action<WebApplicationBuilder>? configure = null)
    {
        // Test nodes keep history in memory unless a test asks for a store: a shared
        // SQLite file would carry one test's topics into the next.
        var app = FanoutNode.Build(["--urls", "http://127.0.0.1:0", "--Fanout:Remoting:Port=0", "--Fanout:Store:Kind=memory", .. args], configure);
        try
        {
            await app.StartAsync();
            var url = new Uri(app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
            return (app, url);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200; fails after <paramref name="within"/>.</summary>
    public static async Task AwaitReadyAsync(Uri url, TimeSpan within)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + within;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Still starting: ask again until the deadline.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{url} was not ready within {within.TotalSeconds:0} s ({attempt + 1} checks).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
