using Akka.Hosting;
using Fanout.AspNetCore.Configuration;
using Fanout.AspNetCore.Diagnostics;
using Fanout.AspNetCore.Mercure;
using Fanout.Hosting;

namespace Fanout.AspNetCore;

/// <summary>The Akka side of a node, for an app that builds its actor system itself.</summary>
public static class FanoutAkkaConfigurationExtensions
{
    /// <summary>
    /// Settings (the shipped HOCON as fallback), Akka's logging routed into
    /// Microsoft.Extensions.Logging, cluster formation and Fanout's actors.
    /// </summary>
    public static AkkaConfigurationBuilder WithFanoutNode(this AkkaConfigurationBuilder akka, FanoutSettings settings, IConfiguration configuration) =>
        akka.AddHocon(HoconFiles.Load(), HoconAddMode.Append)
            .WithFanoutLogging(configuration)
            .WithClusterFormation(settings.Node)
            .WithFanout(settings.Hub)
            .WithFanoutMercure();
}
