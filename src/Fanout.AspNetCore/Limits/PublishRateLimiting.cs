using System.Net;
using System.Threading.RateLimiting;
using Fanout.AspNetCore.Auth;
using Fanout.AspNetCore.Configuration;
using Fanout.AspNetCore.Http;
using Fanout.Protocol;
using Microsoft.AspNetCore.RateLimiting;

namespace Fanout.AspNetCore.Limits;

/// <summary>
/// Publish rate per caller: a fixed window of permits per token subject, or per client IP
/// for requests without a token. A refused request is answered 429 with Retry-After.
/// Publishers that publish for many users are not throttled (<see cref="IsUnlimited"/>):
/// a token with the <c>unlimited</c> grant, and requests without a token from this host or
/// from <see cref="LimitSettings.UnlimitedPublisherNetworks"/>.
/// </summary>
public static class PublishRateLimiting
{
    public const string Policy = "fanout-publish";

    private const string UnlimitedPartition = "unlimited";

    public static bool IsEnabled(LimitSettings limits) => limits.PublishPermitLimit > 0;

    /// <summary>
    /// The rate limiter's services, with the publish policy when the limit is on. Registered
    /// either way, so an app's <c>UseRateLimiter()</c> (for its own policies, or for this one)
    /// works whatever the setting.
    /// </summary>
    public static IServiceCollection AddPublishRateLimiting(this IServiceCollection services, LimitSettings limits)
    {
        if (!IsEnabled(limits))
        {
            return services.AddRateLimiter(_ => { });
        }

        var window = TimeSpan.FromSeconds(limits.PublishWindowSeconds);
        var networks = limits.UnlimitedPublisherNetworks.Select(n => IPNetwork.Parse(n)).ToArray();
        return services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Policy, context => IsUnlimited(context, limits.UnlimitedLoopbackPublishers, networks)
                ? RateLimitPartition.GetNoLimiter(UnlimitedPartition)
                : RateLimitPartition.GetFixedWindowLimiter(
                    PartitionKey(context),
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.PublishPermitLimit,
                        Window = window,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            options.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : window;
                var problem = Problems.TooManyRequests(
                    ProblemTitles.TooManyPublishes(limits.PublishPermitLimit, limits.PublishWindowSeconds),
                    retryAfter);
                return new ValueTask(problem.ExecuteAsync(rejected.HttpContext));
            };
        });
    }

    /// <summary>
    /// A caller identified by a token is unlimited only by its grant: its address says nothing
    /// (a reverse proxy on this host makes every client local). A caller without a token is
    /// unlimited from this host (when <paramref name="loopback"/>) or a listed network.
    /// </summary>
    public static bool IsUnlimited(HttpContext context, bool loopback, IReadOnlyList<IPNetwork> networks)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            return TopicGrants.Of(context.User).Unlimited;
        }

        if (context.Connection.RemoteIpAddress is not { } address)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return (loopback && IPAddress.IsLoopback(address)) || networks.Any(n => n.Contains(address));
    }

    /// <summary>The token's subject when a valid token names one, otherwise the client's IP.</summary>
    public static string PartitionKey(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true && user.FindFirst(FanoutAuthentication.SubjectClaim)?.Value is { Length: > 0 } subject)
        {
            return "sub:" + subject;
        }

        return "ip:" + context.Connection.RemoteIpAddress;
    }
}
