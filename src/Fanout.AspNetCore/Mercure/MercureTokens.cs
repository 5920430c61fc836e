using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// Reads and checks a request's Mercure token (a JWS signed with HS256) as the Mercure
/// hub does: the <c>Authorization: Bearer</c> header wins; without it the
/// <c>authorization</c> query parameter; without both the <c>mercureAuthorization</c>
/// cookie. A cookie on a POST also needs an <c>Origin</c> (or <c>Referer</c>) among
/// <c>Fanout:Mercure:CorsOrigins</c>, against cross-site request forgery. <c>exp</c> and
/// <c>nbf</c> are checked without clock skew; no issuer or audience is required.
/// </summary>
public sealed class MercureTokens
{
    public const string CookieName = "mercureAuthorization";
    public const string QueryName = "authorization";

    private const string BearerPrefix = "Bearer ";

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters? _publisher;
    private readonly TokenValidationParameters? _subscriber;
    private readonly MercureSettings _settings;

    public MercureTokens(MercureSettings settings)
    {
        _settings = settings;
        _publisher = Parameters(settings.PublisherJwtKey);
        _subscriber = Parameters(settings.EffectiveSubscriberKey);
    }

    public Task<MercureAuthorization> AuthorizePublisherAsync(HttpRequest request) => AuthorizeAsync(request, _publisher);

    public Task<MercureAuthorization> AuthorizeSubscriberAsync(HttpRequest request) => AuthorizeAsync(request, _subscriber);

    private async Task<MercureAuthorization> AuthorizeAsync(HttpRequest request, TokenValidationParameters? parameters)
    {
        string token;
        if (request.Headers.Authorization is { Count: > 0 } header)
        {
            if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(BearerPrefix, StringComparison.Ordinal))
            {
                return new MercureAuthorization.Invalid("The Authorization header is not 'Bearer <token>'.");
            }

            token = value[BearerPrefix.Length..].Trim();
        }
        else if (request.Query.TryGetValue(QueryName, out var query))
        {
            if (query.Count != 1 || string.IsNullOrEmpty(query[0]))
            {
                return new MercureAuthorization.Invalid("The authorization query parameter must appear once.");
            }

            token = query[0]!;
        }
        else if (request.Cookies.TryGetValue(CookieName, out var cookie))
        {
            if (HttpMethods.IsPost(request.Method) && !OriginAllowed(request))
            {
                return new MercureAuthorization.Invalid("A cookie token on a POST needs an allowed Origin or Referer.");
            }

            token = cookie;
        }
        else
        {
            return new MercureAuthorization.Anonymous();
        }

        if (parameters is null)
        {
            return new MercureAuthorization.Invalid("No key is configured to check this token.");
        }

        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return new MercureAuthorization.Invalid(result.Exception?.Message ?? "The token is not valid.");
        }

        return new MercureAuthorization.Valid(ClaimsOf(jwt));
    }

    private bool OriginAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)
            && Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out var referer))
        {
            origin = referer.GetLeftPart(UriPartial.Authority);
        }

        return !string.IsNullOrEmpty(origin)
            && _settings.CorsOrigins.Any(allowed => allowed == "*" || string.Equals(allowed.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }

    private static MercureClaims ClaimsOf(JsonWebToken jwt)
    {
        // The hub also reads the claim under "https://mercure.rocks/" (its namespaced form).
        JsonElement? mercure = jwt.TryGetPayloadValue<JsonElement>("https://mercure.rocks/", out var namespaced)
            ? namespaced
            : jwt.TryGetPayloadValue<JsonElement>("mercure", out var plain) ? plain : null;
        var expires = jwt.TryGetPayloadValue<long>("exp", out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : (DateTimeOffset?)null;
        if (mercure is not { ValueKind: JsonValueKind.Object } claim)
        {
            return new MercureClaims(null, null, null, expires);
        }

        return new MercureClaims(
            Selectors(claim, "publish"),
            Selectors(claim, "subscribe"),
            claim.TryGetProperty("payload", out var payload) ? payload.Clone() : null,
            expires);
    }

    private static IReadOnlyList<string>? Selectors(JsonElement claim, string name)
    {
        if (!claim.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
    }

    private static TokenValidationParameters? Parameters(string? key) =>
        string.IsNullOrEmpty(key)
            ? null
            : new TokenValidationParameters
            {
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ValidateIssuer = false,
                ValidateAudience = false,
                ValidateLifetime = true,
                RequireExpirationTime = false,
                RequireSignedTokens = true,
                ClockSkew = TimeSpan.Zero,
            };
}
