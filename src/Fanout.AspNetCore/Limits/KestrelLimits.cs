using Fanout.AspNetCore.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fanout.AspNetCore.Limits;

/// <summary>
/// Connection-level limits against clients that hold a connection open while sending
/// little or nothing (slowloris): Kestrel cuts them off; and a bound on connections that
/// keeps the process clear of its open-file limit.
/// </summary>
public static class KestrelLimits
{
    public static void Apply(KestrelServerLimits kestrel, LimitSettings limits) =>
        Apply(kestrel, limits, OpenFileLimit.OfThisProcess());

    public static void Apply(KestrelServerLimits kestrel, LimitSettings limits, long? openFileLimit)
    {
        kestrel.MaxConcurrentConnections = OpenFileLimit.ConnectionBound(openFileLimit, limits.FileDescriptorReserve);
        kestrel.RequestHeadersTimeout = TimeSpan.FromSeconds(limits.RequestHeadersTimeoutSeconds);
        kestrel.KeepAliveTimeout = TimeSpan.FromSeconds(limits.KeepAliveTimeoutSeconds);
        kestrel.MinRequestBodyDataRate = limits.MinRequestBodyBytesPerSecond > 0
            ? new MinDataRate(limits.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(limits.MinRequestBodyGraceSeconds))
            : null;
    }
}
