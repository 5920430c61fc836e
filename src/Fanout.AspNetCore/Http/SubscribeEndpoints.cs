using Fanout.Hosting;
using Fanout.AspNetCore.Auth;
using Fanout.AspNetCore.Configuration;
using Fanout.AspNetCore.Lifecycle;
using Fanout.AspNetCore.Limits;
using Fanout.Subscribers;
using Fanout.Topics;
using Fanout.Protocol;
using Microsoft.Extensions.Options;
using TopicName = Fanout.Protocol.TopicName;

namespace Fanout.AspNetCore.Http;

/// <summary><c>GET /topics/{topic}/events</c> and <c>GET /events?topic=a&amp;topic=b</c>: SSE streams.</summary>
public static class SubscribeEndpoints
{
    public const string LastEventIdHeader = FanoutPaths.LastEventIdHeader;
    public const string LastEventIdQuery = FanoutPaths.LastEventIdQuery;

    /// <summary>Longest delay a timer takes; a token valid for longer simply outlives the stream's checks.</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromDays(24);

    public static async Task<IResult> SubscribeManyAsync(
        HttpContext context, FanoutHub hub, IOptions<NodeOptions> node, TopicAuthorizer authorizer, SubscriberSlots slots)
    {
        var requested = context.Request.Query[FanoutPaths.TopicQuery];
        if (requested.Count == 0)
        {
            return Problems.BadRequest(ProblemTitles.TopicParameterRequired);
        }

        var topics = new List<string>(requested.Count);
        foreach (var topic in requested)
        {
            if (TopicName.Validate(topic) is { } problem)
            {
                return Problems.BadRequest(ProblemTitles.InvalidTopicParameter(Shorten(topic), problem));
            }

            if (!topics.Contains(topic!, StringComparer.Ordinal))
            {
                topics.Add(topic!);
            }
        }

        var max = node.Value.Limits.MaxTopicsPerSubscription;
        if (topics.Count > max)
        {
            return Problems.BadRequest(ProblemTitles.TooManyTopics(max));
        }

        if (await authorizer.AuthorizeAsync(context, topics, TopicOperation.Subscribe) is { } denied)
        {
            return denied;
        }

        return await StreamAsync(context, hub, topics, slots, authorizer);
    }

    /// <summary>The caller is already authorized for <paramref name="topic"/>.</summary>
    public static Task<IResult> SubscribeOneAsync(HttpContext context, string topic, FanoutHub hub, SubscriberSlots slots, TopicAuthorizer authorizer) =>
        StreamAsync(context, hub, [topic], slots, authorizer);

    private static async Task<IResult> StreamAsync(
        HttpContext context, FanoutHub hub, IReadOnlyList<string> topics, SubscriberSlots slots, TopicAuthorizer authorizer)
    {
        if (context.RequestServices.GetRequiredService<NodeDrain>().IsDraining)
        {
            context.Response.Headers.RetryAfter = "1";
            return Problems.Unavailable(ProblemTitles.NodeShuttingDown);
        }

        using var slot = slots.TryTake();
        if (!slot.IsAcquired)
        {
            return Problems.Unavailable(
                ProblemTitles.SubscriberLimitReached(slots.Capacity),
                slots.RetryAfter);
        }

        // The stream ends when the token that opened it expires: its grants are no longer
        // vouched for. Without an expiry (no token, or one valid longer than a timer can
        // wait) the stream keeps no timer at all.
        using var untilExpiry = await ExpiryTimerAsync(context, authorizer);

        var request = new SubscriptionRequest(
            topics,
            LastEventId(context.Request),
            context.Connection.RemoteIpAddress?.ToString(),
            context.Request.Headers.UserAgent.ToString());

        SseResponseWriter.PrepareResponse(context);
        await SseResponseWriter.RunAsync(hub, request, context, untilExpiry?.Token ?? CancellationToken.None);
        return Results.Empty;
    }

    private static async Task<CancellationTokenSource?> ExpiryTimerAsync(HttpContext context, TopicAuthorizer authorizer)
    {
        if (await authorizer.TokenExpiryAsync(context) is not { } expiry)
        {
            return null;
        }

        var left = expiry - DateTimeOffset.UtcNow;
        return left < MaxTimer ? new CancellationTokenSource(left < TimeSpan.Zero ? TimeSpan.Zero : left) : null;
    }

    private static string? LastEventId(HttpRequest request)
    {
        var header = request.Headers[LastEventIdHeader].ToString();
        if (!string.IsNullOrWhiteSpace(header))
        {
            return header.Trim();
        }

        var query = request.Query[LastEventIdQuery].ToString();
        return string.IsNullOrWhiteSpace(query) ? null : query.Trim();
    }

    private static string Shorten(string? text) =>
        text is null ? string.Empty : text.Length <= 60 ? text : text[..60] + "…";
}
