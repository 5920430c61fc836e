using Fanout.AspNetCore;
using Fanout.AspNetCore.Configuration;
using Fanout.AspNetCore.Diagnostics;
using Fanout.AspNetCore.Limits;
using Fanout.Server.Dashboard;

namespace Fanout.Server;

/// <summary>
/// The deployable node: an ASP.NET Core host around Fanout.AspNetCore (<c>AddFanout</c>,
/// <c>MapFanout</c>) with the dashboard, JSON logs and Kestrel tuned for fan-out.
/// </summary>
public static class FanoutNode
{
    public const string ActorSystemName = FanoutNodeDefaults.ActorSystemName;
    public const string DefaultUrl = FanoutNodeDefaults.Url;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the executable's folder, so the shipped appsettings.json
        // applies wherever the node is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddFanoutLogging();
        configure?.Invoke(builder);
        ListenAddresses.UseDefaultUnlessConfigured(builder);
        var settings = FanoutSettings.Load(builder.Configuration.GetSection(FanoutNodeDefaults.Section));
        builder.Services.AddFanout(settings);
        var transport = settings.Node.Transport;

        // Small SSE frames must leave at once, not wait for Nagle's algorithm: Kestrel's
        // default, stated here because latency depends on it.
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.NoDelay = true;
            sockets.UnsafePreferInlineScheduling = transport.InlineScheduling;
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDashboard();
        app.UseAuthentication();
        app.UseAuthorization();
        if (PublishRateLimiting.IsEnabled(settings.Node.Limits))
        {
            // After authentication: the limit is per token subject.
            app.UseRateLimiter();
        }

        app.MapFanout();
        return app;
    }
}
