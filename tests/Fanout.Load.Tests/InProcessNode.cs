using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

using Fanout.Testing;

namespace Fanout.Load.Tests;

/// <summary>A Fanout node in this process on ephemeral loopback ports, up as a cluster member.</summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessNode(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<InProcessNode> StartAsync(params string[] settings)
    {
        var (app, url) = await LoopbackNode.StartAsync(settings);
        return new InProcessNode(app, url.ToString().TrimEnd('/'));
    }

    /// <summary>
    /// Load options aimed at this node through the Fanout preset (publish and subscribe URLs,
    /// body, ready event, seq from event ids) on a channel of its own; each test adds its shape.
    /// </summary>
    public LoadOptions FanoutRun(string channelPrefix)
    {
        var preset = ServerPreset.Fanout;
        return new LoadOptions
        {
            PublishUrl = preset.PublishUrl.Replace(Placeholders.Base, BaseUrl),
            PublishBody = preset.PublishBody,
            PublishContentType = preset.PublishContentType,
            SubscribeUrls = [preset.SubscribeUrl.Replace(Placeholders.Base, BaseUrl)],
            WarmupUrl = preset.WarmupUrl.Replace(Placeholders.Base, BaseUrl),
            ReadyEvent = preset.ReadyEvent,
            SeqFromEventId = preset.SeqFromEventId,
            Channel = channelPrefix + Guid.NewGuid().ToString("N"),
            ProgressSeconds = 0,
        };
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
