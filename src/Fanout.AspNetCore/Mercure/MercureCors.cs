using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// CORS for the Mercure endpoint with ASP.NET Core's CORS service, applied by the endpoint
/// itself (so it works whether or not the app runs <c>UseCors</c>): the configured origins,
/// credentials allowed (cookies carry browsers' tokens), any header, GET and POST. <c>*</c>
/// allows every origin, reflected (a credentialed answer may not say <c>*</c>).
/// </summary>
public static class MercureCors
{
    public const string PolicyName = "fanout-mercure";

    public static void AddPolicy(CorsOptions options, MercureSettings settings)
    {
        options.AddPolicy(PolicyName, policy =>
        {
            if (settings.CorsOrigins.Contains("*"))
            {
                policy.SetIsOriginAllowed(_ => true);
            }
            else
            {
                policy.WithOrigins(settings.CorsOrigins);
            }

            policy.AllowCredentials().AllowAnyHeader().WithMethods(HttpMethods.Get, HttpMethods.Post).WithExposedHeaders("Last-Event-ID");
        });
    }

    /// <summary>Adds the CORS headers this request earns; true when it was a preflight (answered then).</summary>
    public static async Task<bool> ApplyAsync(HttpContext context, MercureSettings settings)
    {
        if (settings.CorsOrigins.Length == 0 || !context.Request.Headers.ContainsKey("Origin"))
        {
            return false;
        }

        var services = context.RequestServices;
        var policy = await services.GetRequiredService<ICorsPolicyProvider>().GetPolicyAsync(context, PolicyName);
        var cors = services.GetRequiredService<ICorsService>();
        var result = cors.EvaluatePolicy(context, policy!);
        cors.ApplyResult(result, context.Response);
        return result.IsPreflightRequest;
    }
}
