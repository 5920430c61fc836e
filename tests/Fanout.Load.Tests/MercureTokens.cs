using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.Load.Tests;

/// <summary>HS256 Mercure tokens for the load runs against a node's Mercure endpoint.</summary>
public static class MercureTokens
{
    public const string PublisherKey = "load-tests-publisher-key-0123456789abcdef";
    public const string SubscriberKey = "load-tests-subscriber-key-0123456789abcdef";

    /// <summary>The node settings these tokens verify against.</summary>
    public static string[] NodeSettings(bool anonymous) =>
    [
        $"--Fanout:Mercure:PublisherJwtKey={PublisherKey}",
        $"--Fanout:Mercure:SubscriberJwtKey={SubscriberKey}",
        $"--Fanout:Mercure:Anonymous={anonymous}",
    ];

    public static string Publisher() => Mint(PublisherKey, "publish");

    public static string Subscriber() => Mint(SubscriberKey, "subscribe");

    private static string Mint(string key, string claim) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["mercure"] = new Dictionary<string, object> { [claim] = new[] { "*" } } },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
}
