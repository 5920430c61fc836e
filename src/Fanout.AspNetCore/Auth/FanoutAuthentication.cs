using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.AspNetCore.Auth;

/// <summary>Registers JWT bearer authentication and topic authorization from <see cref="AuthSettings"/>.</summary>
public static class FanoutAuthentication
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>The subject claim: names the caller (rate limiting partitions by it).</summary>
    public const string SubjectClaim = "sub";

    public static IServiceCollection AddFanoutAuth(this IServiceCollection services, AuthSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, TopicAccessHandler>();
        services.AddSingleton<TopicAuthorizer>();
        services.AddAuthorization();
        if (!settings.Enabled)
        {
            services.AddAuthentication();
            return services;
        }

        // The operators' API needs the token's admin permission (Http/AdminAccess.cs adds an
        // allow-all policy only while auth is off).
        services.AddAuthorization(options => options.AddPolicy(
            Http.AdminAccess.PolicyName,
            policy => policy
                .AddAuthenticationSchemes(Scheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => TopicGrants.From(context.User).Admin)));
        // Bearer is the default scheme only where the app names none: an app that embeds the
        // hub keeps its own default (a cookie, say), and the hub asks its scheme by name.
        services.PostConfigure<AuthenticationOptions>(options =>
        {
            if (options.DefaultScheme is null && options.DefaultAuthenticateScheme is null)
            {
                options.DefaultScheme = Scheme;
            }
        });
        services.AddAuthentication().AddJwtBearer(Scheme, options =>
        {
            // Keep claims under their JWT names ("sub", "fanout"), not WS-* URIs.
            options.MapInboundClaims = false;
            if (!string.IsNullOrWhiteSpace(settings.Authority))
            {
                options.Authority = settings.Authority;
                options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            }

            var hasIssuer = !string.IsNullOrWhiteSpace(settings.Issuer);
            var hasAudience = !string.IsNullOrWhiteSpace(settings.Audience);
            options.TokenValidationParameters = new TokenValidationParameters
            {
                IssuerSigningKeys = settings.AllSigningKeys()
                    .Select(key => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)))
                    .ToList(),
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(Math.Max(0, settings.ClockSkewSeconds)),

                // An authority supplies the issuer from its discovery document.
                ValidateIssuer = hasIssuer || !string.IsNullOrWhiteSpace(settings.Authority),
                ValidIssuer = hasIssuer ? settings.Issuer : null,
                ValidateAudience = hasAudience,
                ValidAudience = hasAudience ? settings.Audience : null,
                NameClaimType = SubjectClaim,
            };
            options.Events = new JwtBearerEvents { OnMessageReceived = AccessTokenSources.ReadAsync };
        });
        return services;
    }

    /// <summary>One line for the start-up log saying how this node lets clients in.</summary>
    public static string DescribeMode(AuthSettings settings)
    {
        if (!settings.Enabled)
        {
            return "Auth is OFF: any client may publish and subscribe to every topic. "
                   + "Set Fanout:Auth:SigningKey or Fanout:Auth:Authority to require tokens.";
        }

        var sources = new List<string>();
        var keys = settings.AllSigningKeys().Count();
        if (keys > 0)
        {
            sources.Add($"{keys} HS256 key(s)");
        }

        if (!string.IsNullOrWhiteSpace(settings.Authority))
        {
            sources.Add($"authority {settings.Authority}");
        }

        var publicTopics = TopicPatternSet.Parse(settings.PublicTopics, out _);
        return $"Auth is ON: bearer tokens signed by {string.Join(" and ", sources)}; "
               + $"audience {settings.Audience ?? "(not checked)"}; public topics {publicTopics}; "
               + $"anonymous publish {(settings.AllowAnonymousPublish ? "ALLOWED (development switch)" : "refused")}.";
    }
}
