using System.Threading.RateLimiting;
using Fanout.AspNetCore.Auth;
using Fanout.AspNetCore.Configuration;
using Fanout.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Fanout.AspNetCore.Limits;

/// <summary>
/// Publish rate per caller: a fixed window of permits per token subject, or per client IP
/// for requests without a token. A refused request is answered 429 with Retry-After.
/// </summary>
public static class PublishRateLimiting
{
    public const string Policy = "fanout-publish";

    public static bool IsEnabled(LimitSettings limits) => limits.PublishPermitLimit > 0;

    public static IServiceCollection AddPublishRateLimiting(this IServiceCollection services, LimitSettings limits)
    {
        var window = TimeSpan.FromSeconds(limits.PublishWindowSeconds);
        return services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Policy, context => RateLimitPartition.GetFixedWindowLimiter(
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
                    $"Too many publish requests: at most {limits.PublishPermitLimit} per {limits.PublishWindowSeconds} s per caller.",
                    retryAfter);
                return new ValueTask(problem.ExecuteAsync(rejected.HttpContext));
            };
        });
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
