using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Fanout.AspNetCore.Auth;

/// <summary>
/// Where a token may come from besides <c>Authorization: Bearer</c>. Browsers' EventSource
/// cannot set headers, so GET requests may carry it as an <c>access_token</c> query parameter
/// or cookie. Publishing (POST) takes the header only: a cookie would be sent by any page
/// the browser visits (cross-site request forgery) and a query string ends up in logs.
/// </summary>
public static class AccessTokenSources
{
    public const string Name = "access_token";

    public static Task ReadAsync(MessageReceivedContext context)
    {
        var request = context.Request;
        if (request.Headers.Authorization.Count > 0 || !HttpMethods.IsGet(request.Method))
        {
            return Task.CompletedTask;
        }

        var token = request.Query[Name].ToString();
        if (string.IsNullOrEmpty(token))
        {
            token = request.Cookies[Name];
        }

        if (!string.IsNullOrEmpty(token))
        {
            context.Token = token;
        }

        return Task.CompletedTask;
    }
}
