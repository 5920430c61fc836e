using System.Text;
using Fanout.AspNetCore.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.Server.Tokens;

/// <summary>What a minted token grants, and for how long.</summary>
public sealed record TokenGrant(
    IReadOnlyList<string> Publish, IReadOnlyList<string> Subscribe, bool Admin, string Subject, TimeSpan Lifetime, bool Unlimited = false);

/// <summary>
/// Signs development tokens the way a node checks them: HS256 under the first configured
/// signing key, with the node's audience and issuer when it checks those, and the
/// <c>fanout</c> claim as a JSON object (docs/security.md, "Token format").
/// </summary>
public static class TokenMinter
{
    /// <summary>The problems that stop <paramref name="grant"/> from being minted under <paramref name="auth"/>; empty when none.</summary>
    public static IEnumerable<string> Validate(AuthSettings auth, TokenGrant grant)
    {
        if (auth.AllSigningKeys().FirstOrDefault() is null)
        {
            yield return "No signing key is configured: set Fanout:Auth:SigningKey (environment Fanout__Auth__SigningKey, "
                         + "or --Fanout:Auth:SigningKey=<key> after the command), the key the node checks tokens with.";
        }

        foreach (var problem in auth.Validate())
        {
            yield return problem;
        }

        foreach (var (option, patterns) in new[] { ("--publish", grant.Publish), ("--subscribe", grant.Subscribe) })
        {
            TopicPatternSet.Parse(patterns, out var rejected);
            foreach (var pattern in rejected)
            {
                yield return $"{option} '{pattern}' is not a topic name, 'prefix/*' or '*'.";
            }
        }

        if (grant.Unlimited && grant.Publish.Count == 0)
        {
            yield return "--unlimited lifts the publish rate limit: give --publish too.";
        }

        if (grant.Publish.Count == 0 && grant.Subscribe.Count == 0 && !grant.Admin)
        {
            yield return "The token would grant nothing: give --publish, --subscribe or --admin.";
        }

        if (grant.Lifetime <= TimeSpan.Zero)
        {
            yield return "--ttl must be longer than zero.";
        }

        if (string.IsNullOrWhiteSpace(grant.Subject))
        {
            yield return "--subject may not be empty.";
        }
    }

    public static string Mint(AuthSettings auth, TokenGrant grant, DateTimeOffset now)
    {
        var key = auth.AllSigningKeys().FirstOrDefault()
                  ?? throw new InvalidOperationException("No signing key is configured.");
        var claim = new Dictionary<string, object>
        {
            ["publish"] = grant.Publish.ToArray(),
            ["subscribe"] = grant.Subscribe.ToArray(),
        };
        if (grant.Admin)
        {
            claim["admin"] = true;
        }

        if (grant.Unlimited)
        {
            claim["unlimited"] = true;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                [FanoutAuthentication.SubjectClaim] = grant.Subject,
                [TopicGrants.ClaimType] = claim,
            },
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(grant.Lifetime).UtcDateTime,
            Audience = string.IsNullOrWhiteSpace(auth.Audience) ? null : auth.Audience,
            Issuer = string.IsNullOrWhiteSpace(auth.Issuer) ? null : auth.Issuer,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
