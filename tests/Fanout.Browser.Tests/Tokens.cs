using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.Browser.Tests;

/// <summary>HS256 tokens with a <c>fanout</c> grant claim, for a node started with <see cref="SigningKey"/>.</summary>
public static class Tokens
{
    public const string SigningKey = "fanout-browser-tests-signing-key-0123456789";

    public static string Grant(string[] publish, string[] subscribe, bool admin = false) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", "dashboard-tester")]),
            Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object>
            {
                ["fanout"] = new Dictionary<string, object> { ["publish"] = publish, ["subscribe"] = subscribe, ["admin"] = admin },
            },
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), SecurityAlgorithms.HmacSha256),
        });

    /// <summary>The Mercure endpoint's key for <see cref="Mercure"/> tokens (publishers and subscribers alike).</summary>
    public const string MercureKey = "fanout-browser-tests-mercure-key-0123456789";

    /// <summary>A Mercure token (<c>mercure.publish</c> / <c>mercure.subscribe</c>) signed with <see cref="MercureKey"/>.</summary>
    public static string Mercure(string[] publish, string[] subscribe, DateTime expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Expires = expires,
            NotBefore = expires.AddMinutes(-30),
            IssuedAt = expires.AddMinutes(-30),
            Claims = new Dictionary<string, object>
            {
                ["mercure"] = new Dictionary<string, object> { ["publish"] = publish, ["subscribe"] = subscribe },
            },
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(MercureKey)), SecurityAlgorithms.HmacSha256),
        });
}
