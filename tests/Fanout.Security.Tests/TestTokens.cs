using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fanout.Security.Tests;

/// <summary>
/// Mints JWTs by hand, the way docs/security.md shows: base64url(header).base64url(payload),
/// HMAC-SHA256 over both. Hand-made so tests can also make the bad ones (alg:none, wrong key).
/// </summary>
public static class TestTokens
{
    public const string Key = "fanout-tests-signing-key-0123456789abcdef";
    public const string RotatedKey = "fanout-tests-next-signing-key-abcdefghijkl";
    public const string Audience = "fanout-tests";

    public static string Grant(string[]? publish = null, string[]? subscribe = null, string subject = "tester",
        TimeSpan? expiresIn = null, string key = Key, string? audience = Audience, bool admin = false, bool unlimited = false)
    {
        var fanout = new JsonObject
        {
            ["publish"] = new JsonArray([.. (publish ?? []).Select(p => JsonValue.Create(p))]),
            ["subscribe"] = new JsonArray([.. (subscribe ?? []).Select(s => JsonValue.Create(s))]),
        };
        if (admin)
        {
            fanout["admin"] = true;
        }

        if (unlimited)
        {
            fanout["unlimited"] = true;
        }

        var now = DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(expiresIn ?? TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
            ["fanout"] = fanout,
        };
        if (audience is not null)
        {
            payload["aud"] = audience;
        }

        return Sign(payload, key);
    }

    public static string Sign(JsonObject payload, string key, string alg = "HS256")
    {
        var unsigned = Encode(new JsonObject { ["alg"] = alg, ["typ"] = "JWT" }) + "." + Encode(payload);
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key));
        return unsigned + "." + Base64Url(hmac.ComputeHash(Encoding.ASCII.GetBytes(unsigned)));
    }

    /// <summary>An unsecured JWT (RFC 7519 §6): header alg "none" and an empty signature.</summary>
    public static string Unsigned(JsonObject payload) =>
        Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." + Encode(payload) + ".";

    public static JsonObject Payload(string token) =>
        JsonNode.Parse(Convert.FromBase64String(Pad(token.Split('.')[1].Replace('-', '+').Replace('_', '/'))))!.AsObject();

    private static string Encode(JsonObject json) => Base64Url(Encoding.UTF8.GetBytes(json.ToJsonString(new JsonSerializerOptions())));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Pad(string text) => text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
}
