using Fanout.AspNetCore.Http;

namespace Fanout.AspNetCore;

/// <summary>Maps Fanout's HTTP contract (docs/protocol.md) into an app's routes.</summary>
public static class FanoutEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the endpoints below <paramref name="prefix"/> (none by default: <c>/topics</c>,
    /// <c>/events</c>, <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>, <c>/admin</c>) and returns
    /// their route group, which the app may protect with its own authorization policies,
    /// rate limiting and CORS. Needs <see cref="FanoutServiceCollectionExtensions.AddFanout(IServiceCollection, IConfiguration)"/>;
    /// with Fanout's own auth or publish limit on, the app's pipeline needs
    /// <c>UseAuthentication</c>, <c>UseAuthorization</c> and <c>UseRateLimiter</c>.
    /// </summary>
    public static RouteGroupBuilder MapFanout(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        var normalized = NormalizePrefix(prefix);
        var group = endpoints.MapGroup(normalized);
        FanoutEndpoints.Map(group, normalized);
        return group;
    }

    private static string NormalizePrefix(string prefix)
    {
        var trimmed = prefix.Trim().TrimEnd('/');
        return trimmed.Length == 0 || trimmed[0] == '/' ? trimmed : "/" + trimmed;
    }
}
