using Microsoft.AspNetCore.Authorization;

namespace Fanout.AspNetCore.Http;

/// <summary>
/// The guard of <c>/admin/*</c>: the authorization policy <see cref="PolicyName"/>. While
/// auth is off (no <c>Fanout:Auth:*</c>) it admits every caller. The auth setup plugs in by
/// registering its own policy under this name (e.g. requiring the token's <c>admin</c>
/// permission) with <c>AddAuthorization(o =&gt; o.AddPolicy(AdminAccess.PolicyName, ...))</c>;
/// this allow-all fallback is only added when no such policy exists.
/// </summary>
public static class AdminAccess
{
    public const string PolicyName = "fanout-admin";

    public static IServiceCollection AddAdminAccess(this IServiceCollection services)
    {
        services.AddAuthorization();
        services.PostConfigure<AuthorizationOptions>(options =>
        {
            if (options.GetPolicy(PolicyName) is null)
            {
                options.AddPolicy(PolicyName, policy => policy.RequireAssertion(_ => true));
            }
        });
        return services;
    }
}
