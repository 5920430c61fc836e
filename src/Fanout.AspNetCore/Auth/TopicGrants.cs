using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;

namespace Fanout.AspNetCore.Auth;

/// <summary>
/// What a token lets its holder do, read from its <c>fanout</c> claim:
/// <c>{"publish":["orders/*"],"subscribe":["*"],"admin":true,"unlimited":true}</c>. A missing, malformed or
/// partly malformed claim grants nothing beyond its well-formed entries; <c>admin</c> (the
/// operators' <c>/admin/*</c> API) and <c>unlimited</c> (publishes not throttled: a backend
/// that publishes for all its users) must be the JSON value <c>true</c>.
/// </summary>
public sealed record TopicGrants(TopicPatternSet Publish, TopicPatternSet Subscribe, bool Admin = false, bool Unlimited = false)
{
    public const string ClaimType = "fanout";
    private const int MaxEntries = 1000;

    public static readonly TopicGrants None = new(TopicPatternSet.Empty, TopicPatternSet.Empty);

    // One request reads its grants several times (rate limit, each topic's check, GET /topics
    // once per topic): the claim is parsed once per principal.
    private static readonly ConditionalWeakTable<ClaimsPrincipal, TopicGrants> ByUser = new();

    /// <summary>The grants of <paramref name="user"/>, read from its claim once and kept with it.</summary>
    public static TopicGrants Of(ClaimsPrincipal user) => ByUser.GetValue(user, From);

    public static TopicGrants From(ClaimsPrincipal user)
    {
        // A JSON object claim arrives as its JSON text; an issuer that can only emit string
        // claims may put the same JSON in a string, which reads the same way.
        var claim = user.FindFirst(ClaimType);
        if (claim is null || string.IsNullOrWhiteSpace(claim.Value))
        {
            return None;
        }

        try
        {
            using var document = JsonDocument.Parse(claim.Value);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return None;
            }

            return new TopicGrants(Read(root, "publish"), Read(root, "subscribe"), IsTrue(root, "admin"), IsTrue(root, "unlimited"));
        }
        catch (JsonException)
        {
            return None;
        }
    }

    private static bool IsTrue(JsonElement root, string name) =>
        root.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;

    private static TopicPatternSet Read(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return TopicPatternSet.Empty;
        }

        var texts = entries.EnumerateArray()
            .Take(MaxEntries)
            .Where(e => e.ValueKind == JsonValueKind.String)
            .Select(e => e.GetString());
        return TopicPatternSet.Parse(texts, out _);
    }
}
