using System.Security.Claims;
using Fanout.AspNetCore.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using Fanout.Protocol;

namespace Fanout.AspNetCore.Auth;

/// <summary>
/// What the endpoints ask once a request's topics are known: may this caller do this to
/// these topics? Answers null (go ahead) or the problem to send: 401 without a token or
/// with a bad one, 403 with a token that lacks a topic.
/// </summary>
public sealed class TopicAuthorizer
{
    private readonly IAuthorizationService _authorization;
    private readonly AuthSettings _settings;

    public TopicAuthorizer(IAuthorizationService authorization, AuthSettings settings)
    {
        _authorization = authorization;
        _settings = settings;
    }

    public async Task<IResult?> AuthorizeAsync(HttpContext context, IReadOnlyList<string> topics, TopicOperation operation)
    {
        if (!_settings.Enabled)
        {
            return null;
        }

        var (caller, rejected) = await CallerAsync(context);
        if (rejected is not null)
        {
            return rejected;
        }

        var requirement = TopicAccessRequirement.For(operation);
        foreach (var topic in topics)
        {
            var result = await _authorization.AuthorizeAsync(caller, topic, requirement);
            if (!result.Succeeded)
            {
                return await DenyAsync(context, caller, operation, topic);
            }
        }

        return null;
    }

    /// <summary>The topics of <paramref name="topics"/> the caller may read, or the problem when its token is bad.</summary>
    public async Task<(IReadOnlyList<string>? Visible, IResult? Problem)> VisibleAsync(HttpContext context, IReadOnlyList<string> topics)
    {
        if (!_settings.Enabled)
        {
            return (topics, null);
        }

        var (caller, rejected) = await CallerAsync(context);
        if (rejected is not null)
        {
            return (null, rejected);
        }

        var visible = new List<string>(topics.Count);
        foreach (var topic in topics)
        {
            if ((await _authorization.AuthorizeAsync(caller, topic, TopicAccessRequirement.Read)).Succeeded)
            {
                visible.Add(topic);
            }
        }

        return (visible, null);
    }

    /// <summary>When the caller's token stops being valid; null without auth or without a token.</summary>
    public async Task<DateTimeOffset?> TokenExpiryAsync(HttpContext context)
    {
        if (!_settings.Enabled || !_settings.EndStreamsAtTokenExpiry)
        {
            return null;
        }

        var result = await context.AuthenticateAsync(FanoutAuthentication.Scheme);
        return result.Succeeded ? result.Properties?.ExpiresUtc : null;
    }

    /// <summary>
    /// The caller as Fanout's bearer scheme sees it, whatever the app's default scheme is: an
    /// app that embeds the hub may sign its users in with a cookie, whose principal carries no
    /// topic grants. Anonymous without a token; the problem to send with a bad one.
    /// </summary>
    private static async Task<(ClaimsPrincipal Caller, IResult? Rejected)> CallerAsync(HttpContext context)
    {
        // The handler caches its result per request: when the bearer scheme is the default,
        // the authentication middleware already ran it and this reads that result.
        var result = await context.AuthenticateAsync(FanoutAuthentication.Scheme);
        if (result.Failure is null)
        {
            return (result.Principal ?? Anonymous, null);
        }

        await context.ChallengeAsync(FanoutAuthentication.Scheme);
        return (Anonymous, Problems.Unauthorized(ProblemTitles.TokenRejected, Reason(result.Failure)));
    }

    private static ClaimsPrincipal Anonymous => new(new ClaimsIdentity());

    private static async Task<IResult> DenyAsync(HttpContext context, ClaimsPrincipal caller, TopicOperation operation, string topic)
    {
        var action = operation switch
        {
            TopicOperation.Publish => "publish to",
            TopicOperation.Subscribe => "subscribe to",
            _ => "read",
        };

        if (caller.Identity?.IsAuthenticated == true)
        {
            return Problems.Forbidden(ProblemTitles.TopicNotGranted(action, topic));
        }

        // Sets WWW-Authenticate: Bearer, as RFC 6750 asks of a 401.
        await context.ChallengeAsync(FanoutAuthentication.Scheme);
        return Problems.Unauthorized(
            ProblemTitles.TokenRequired(action, topic),
            "Send 'Authorization: Bearer <token>'; GET requests may instead pass it as an 'access_token' query parameter or cookie.");
    }

    private static string Reason(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenNoExpirationException => "The token has no expiry ('exp').",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature does not verify.",
        SecurityTokenInvalidAudienceException => "The token is for another audience.",
        SecurityTokenInvalidIssuerException => "The token is from another issuer.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        _ => "The token is malformed or unsigned.",
    };
}
