using Fanout.AspNetCore.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fanout.AspNetCore.Limits;

/// <summary>
/// Connection-level limits against clients that hold a connection open while sending
/// little or nothing (slowloris): Kestrel cuts them off.
/// </summary>
public static class KestrelLimits
{
    public static void Apply(KestrelServerLimits kestrel, LimitSettings limits)
    {
        kestrel.RequestHeadersTimeout = TimeSpan.FromSeconds(limits.RequestHeadersTimeoutSeconds);
        kestrel.KeepAliveTimeout = TimeSpan.FromSeconds(limits.KeepAliveTimeoutSeconds);
        kestrel.MinRequestBodyDataRate = limits.MinRequestBodyBytesPerSecond > 0
            ? new MinDataRate(limits.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(limits.MinRequestBodyGraceSeconds))
            : null;
    }
}
