using System.Security.Cryptography;
using System.Text;
using Fanout.AspNetCore.Auth;
using Fanout.AspNetCore.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Fanout.Protocol;

namespace Fanout.AspNetCore.Diagnostics;

/// <summary>
/// The guard in front of <c>/metrics</c>. Open while auth is off and no scrape token is set
/// (or with <see cref="MetricsEndpointSettings.AllowAnonymous"/>); otherwise the caller sends
/// the scrape token or, with auth on, a valid token whose <c>fanout</c> claim has
/// <c>"admin": true</c>. Refusals are problems: 401 (with <c>WWW-Authenticate: Bearer</c>)
/// without an accepted credential, 403 for a valid token without the admin grant.
/// </summary>
public sealed class MetricsAccess(IOptions<MetricsEndpointSettings> options, AuthSettings auth)
{
    private readonly MetricsEndpointSettings _settings = options.Value;
    private readonly byte[]? _scrapeToken = string.IsNullOrEmpty(options.Value.ScrapeToken) ? null : Encoding.UTF8.GetBytes(options.Value.ScrapeToken);

    public bool IsOpen => _settings.AllowAnonymous || (!auth.Enabled && _scrapeToken is null);

    /// <summary>Null when the caller may scrape; otherwise the problem to answer.</summary>
    public async Task<IResult?> CheckAsync(HttpContext context)
    {
        if (IsOpen || HasScrapeToken(context.Request))
        {
            return null;
        }

        if (auth.Enabled)
        {
            // The authentication middleware already ran the handler; this reads its cached result.
            var result = await context.AuthenticateAsync(FanoutAuthentication.Scheme);
            if (result.Succeeded)
            {
                return TopicGrants.From(result.Principal).Admin
                    ? null
                    : Problems.Forbidden(ProblemTitles.MetricsNotGranted);
            }

            if (result.Failure is not null)
            {
                await context.ChallengeAsync(FanoutAuthentication.Scheme);
                return Problems.Unauthorized(ProblemTitles.TokenRejected);
            }
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Unauthorized(
            ProblemTitles.MetricsTokenRequired,
            auth.Enabled
                ? $"Send the scrape token ({MetricsEndpointSettings.Section}:ScrapeToken) or a token with 'admin': true."
                : $"Send the scrape token ({MetricsEndpointSettings.Section}:ScrapeToken).");
    }

    private bool HasScrapeToken(HttpRequest request)
    {
        if (_scrapeToken is null)
        {
            return false;
        }

        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Constant time: the comparison must not tell how much of a guess was right.
        var presented = Encoding.UTF8.GetBytes(header[bearer.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, _scrapeToken);
    }
}
