using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.Mercure.Tests;

/// <summary>Mints Mercure tokens (HS256) as a Mercure publisher or app would.</summary>
public static class Jwt
{
    public static string Publisher(params string[] publish) => Mint(MercureNode.PublisherKey, publish: publish);

    public static string Subscriber(params string[] subscribe) => Mint(MercureNode.SubscriberKey, subscribe: subscribe);

    public static string Mint(
        string key,
        string[]? publish = null,
        string[]? subscribe = null,
        object? payload = null,
        DateTime? expires = null)
    {
        var mercure = new Dictionary<string, object>();
        if (publish is not null)
        {
            mercure["publish"] = publish;
        }

        if (subscribe is not null)
        {
            mercure["subscribe"] = subscribe;
        }

        if (payload is not null)
        {
            mercure["payload"] = payload;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["mercure"] = mercure },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        };
        if (expires is { } at)
        {
            descriptor.Expires = at;
            descriptor.NotBefore = at.AddMinutes(-10);
            descriptor.IssuedAt = at.AddMinutes(-10);
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = expires is not null }.CreateToken(descriptor);
    }
}
