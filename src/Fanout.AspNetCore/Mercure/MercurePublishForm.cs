using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// The fields of a Mercure publish (<c>topic</c> repeated, <c>data</c>, <c>private</c>,
/// <c>id</c>, <c>type</c>, <c>retry</c>) checked as the hub checks them: what is wrong is a
/// plain-text sentence for a 400 (or, for a topic in the hub's reserved namespace, a 403).
/// </summary>
public static class MercurePublishForm
{
    /// <summary>Most topics one update may carry (the hub's limit).</summary>
    public const int MaxTopics = 1000;

    /// <summary>Topics with this in them are the hub's own (subscription events): publishers may not forge them.</summary>
    public const string ReservedTopicPart = "/.well-known/mercure";

    private static readonly char[] ForbiddenInFields = ['\0', '\r', '\n'];

    /// <summary>The update the form describes; otherwise the status and plain-text reason.</summary>
    public static (MercureUpdate? Update, int Status, string? Problem) Read(IReadOnlyDictionary<string, StringValues> form, Func<string> newId)
    {
        var topics = Values(form, "topic");
        if (topics.Count == 0)
        {
            return Fail(StatusCodes.Status400BadRequest, "Missing \"topic\" parameter");
        }

        if (topics.Count > MaxTopics)
        {
            return Fail(StatusCodes.Status400BadRequest, "too many topics in update");
        }

        ulong? retry = null;
        var retryText = First(form, "retry");
        if (!string.IsNullOrEmpty(retryText))
        {
            if (!ulong.TryParse(retryText, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                return Fail(StatusCodes.Status400BadRequest, "Invalid \"retry\" parameter");
            }

            retry = ms;
        }

        if (topics.FirstOrDefault(t => t.Contains(ReservedTopicPart, StringComparison.Ordinal)) is { } reserved)
        {
            return Fail(StatusCodes.Status403Forbidden, $"\"{reserved}\": topic value references the reserved \"{ReservedTopicPart}\" namespace");
        }

        var id = First(form, "id");
        if (id.StartsWith('#'))
        {
            return Fail(StatusCodes.Status400BadRequest, "\"id\" field must not start with \"#\"");
        }

        if (id.IndexOfAny(ForbiddenInFields) >= 0)
        {
            return Fail(StatusCodes.Status400BadRequest, "\"id\" field contains a forbidden control character");
        }

        var type = First(form, "type");
        if (type.IndexOfAny(ForbiddenInFields) >= 0)
        {
            return Fail(StatusCodes.Status400BadRequest, "\"type\" field contains a forbidden control character");
        }

        var update = new MercureUpdate(
            topics,
            First(form, "data"),
            form.ContainsKey("private"),
            id.Length == 0 ? newId() : id,
            type.Length == 0 ? null : type,
            retry);
        return (update, StatusCodes.Status200OK, null);
    }

    /// <summary>A fresh update id, as the hub makes them.</summary>
    public static string NewId() => "urn:uuid:" + Guid.NewGuid().ToString("D");

    private static List<string> Values(IReadOnlyDictionary<string, StringValues> form, string name) =>
        form.TryGetValue(name, out var values) ? values.Where(v => v is not null).Select(v => v!).ToList() : [];

    private static string First(IReadOnlyDictionary<string, StringValues> form, string name) =>
        form.TryGetValue(name, out var values) && values.Count > 0 ? values[0] ?? string.Empty : string.Empty;

    private static (MercureUpdate?, int, string?) Fail(int status, string problem) => (null, status, problem);
}
