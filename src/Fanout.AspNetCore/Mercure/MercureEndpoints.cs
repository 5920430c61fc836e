using System.Globalization;
using Akka.Actor;
using Fanout.AspNetCore.Configuration;
using Fanout.AspNetCore.Http;
using Fanout.AspNetCore.Lifecycle;
using Fanout.AspNetCore.Limits;
using Fanout.Hosting;
using Fanout.Sse;
using Fanout.Subscribers;
using Fanout.Topics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Fanout.AspNetCore.Mercure;

/// <summary>
/// <c>/.well-known/mercure</c>: the Mercure protocol (draft-dunglas-mercure-07) beside
/// Fanout's own contract. A publish becomes one event of <see cref="MercureTopic.Name"/>;
/// a subscription is a Fanout subscription of that topic in the Mercure dialect
/// (<see cref="MercureDialect"/>). Answers are plain text where the hub's are.
/// </summary>
public static class MercureEndpoints
{
    public const string Path = "/.well-known/mercure";
    public const string LastEventIdHeader = "Last-Event-ID";
    public const string LastEventIdQuery = "lastEventID";

    /// <summary>Most selectors one subscription may name (the hub's limit).</summary>
    public const int MaxSelectors = 1000;

    /// <summary>Longest delay a timer takes; a token valid for longer outlives the stream's check.</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromDays(24);

    public static void Map(IEndpointRouteBuilder group)
    {
        if (group.ServiceProvider.GetRequiredService<MercureSettings>().Subscriptions)
        {
            MercureSubscriptionsEndpoints.Map(group);
        }

        group.MapGet(Path, SubscribeAsync);
        var publish = group.MapPost(Path, PublishAsync);
        if (PublishRateLimiting.IsEnabled(group.ServiceProvider.GetRequiredService<IOptions<NodeOptions>>().Value.Limits))
        {
            // The node's publish limit covers Mercure publishers too (by client address:
            // a Mercure token is not Fanout's, so it names no subject).
            publish.RequireRateLimiting(PublishRateLimiting.Policy);
        }
        group.MapMethods(Path, [HttpMethods.Options], PreflightAsync);
    }

    public static async Task<IResult> PreflightAsync(HttpContext context, MercureSettings settings) =>
        await MercureCors.ApplyAsync(context, settings) ? Results.NoContent() : Text(StatusCodes.Status405MethodNotAllowed, "Method Not Allowed");

    public static async Task<IResult> PublishAsync(
        HttpContext context, FanoutHub hub, MercureSettings settings, MercureTokens tokens, TopicSelectors selectors, IOptions<NodeOptions> node)
    {
        await MercureCors.ApplyAsync(context, settings);
        if (!settings.CanPublish)
        {
            return Text(StatusCodes.Status403Forbidden, "Publishing is off: Fanout:Mercure:PublisherJwtKey is not set.");
        }

        if (await tokens.AuthorizePublisherAsync(context.Request) is not MercureAuthorization.Valid { Claims.Publish: { } allowed })
        {
            return Text(StatusCodes.Status401Unauthorized, "Unauthorized");
        }

        var limits = node.Value.Limits;
        IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues> form;
        try
        {
            form = await ReadFormAsync(context, limits.MaxBatchBytes);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Text(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than {limits.MaxBatchBytes} bytes.");
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return Text(StatusCodes.Status400BadRequest, "Bad Request");
        }

        var (update, status, problem) = MercurePublishForm.Read(form, MercurePublishForm.NewId);
        if (update is null)
        {
            return Text(status, problem!);
        }

        if (!selectors.MatchesEach(update.Topics, allowed))
        {
            return Text(StatusCodes.Status403Forbidden, "Forbidden: a topic of the update is outside the token's mercure.publish.");
        }

        var json = update.ToJson();
        if (json.Length > limits.MaxEventBytes)
        {
            return Text(StatusCodes.Status413PayloadTooLarge, $"The update is larger than {limits.MaxEventBytes} bytes.");
        }

        try
        {
            await hub.PublishAsync(MercureTopic.Name, [new EventDraft(MercureTopic.EventType, json, update.Id)], context.RequestAborted);
        }
        catch (Exception ex) when (ex is PublishFailedException or AskTimeoutException)
        {
            return Text(StatusCodes.Status503ServiceUnavailable, "The update was not stored; retry.");
        }

        // A re-published id still in history is a duplicate: answered with its id, not delivered again.
        return Text(StatusCodes.Status200OK, update.Id, lineEnd: false);
    }

    public static async Task<IResult> SubscribeAsync(
        HttpContext context, FanoutHub hub, MercureSettings settings, MercureTokens tokens, TopicSelectors selectors, SubscriberSlots slots)
    {
        await MercureCors.ApplyAsync(context, settings);
        var authorization = await tokens.AuthorizeSubscriberAsync(context.Request);
        var claims = (authorization as MercureAuthorization.Valid)?.Claims;
        if (authorization is MercureAuthorization.Invalid || (claims is null && !settings.Anonymous))
        {
            return Text(StatusCodes.Status401Unauthorized, "Unauthorized");
        }

        var topics = context.Request.Query["topic"].Where(t => t is not null).Select(t => t!).Distinct(StringComparer.Ordinal).ToList();
        if (topics.Count == 0)
        {
            return Text(StatusCodes.Status400BadRequest, "Missing \"topic\" parameter.");
        }

        if (topics.Count > MaxSelectors)
        {
            return Text(StatusCodes.Status400BadRequest, "Too many \"topic\" parameters.");
        }

        if (context.RequestServices.GetRequiredService<NodeDrain>().IsDraining)
        {
            context.Response.Headers.RetryAfter = "1";
            return Text(StatusCodes.Status503ServiceUnavailable, "This node is shutting down; connect to another node.");
        }

        using var slot = slots.TryTake();
        if (!slot.IsAcquired)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)slots.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Text(StatusCodes.Status503ServiceUnavailable, $"This node already serves its limit of {slots.Capacity} subscribers; retry later.");
        }

        var requested = LastEventId(context.Request);
        MercureResume resume;
        try
        {
            resume = await MercureResume.ResolveAsync(requested, hub, context.RequestAborted);
        }
        catch (AskTimeoutException)
        {
            return Text(StatusCodes.Status503ServiceUnavailable, "History did not answer in time; retry.");
        }

        // The stream ends when the token that opened it expires (the spec's "MUST be
        // closed at that time"); without exp it keeps no timer.
        using var untilExpiry = ExpiryTimer(claims?.ExpiresAt);

        // Mercure's subscriber identity: one IRI for all of its subscriptions.
        var subscriber = MercurePublishForm.NewId();
        var request = new SubscriptionRequest(
            [MercureTopic.Name],
            resume.Cursor,
            context.Connection.RemoteIpAddress?.ToString(),
            context.Request.Headers.UserAgent.ToString(),
            new MercureDialect(topics, claims?.Subscribe ?? [], selectors));

        IReadOnlyList<MercureSubscription> subscriptions = settings.Subscriptions
            ? topics.Select(topic => new MercureSubscription(subscriber, topic, claims?.Payload?.GetRawText())).ToList()
            : [];
        var events = context.RequestServices.GetRequiredService<MercureSubscriptionEvents>();
        if (subscriptions.Count > 0)
        {
            await events.ConnectedAsync(subscriptions, context.RequestAborted);
        }

        try
        {
            SseResponseWriter.PrepareResponse(context);
            if (requested is not null)
            {
                context.Response.Headers[LastEventIdHeader] = resume.ResponseLastEventId;
            }

            await SseResponseWriter.RunAsync(hub, request, context, untilExpiry?.Token ?? CancellationToken.None);
        }
        finally
        {
            await events.DisconnectedAsync(subscriptions);
        }

        return Results.Empty;
    }

    /// <summary>The header wins over the query parameter, as the spec says.</summary>
    private static string? LastEventId(HttpRequest request)
    {
        var header = request.Headers[LastEventIdHeader].ToString();
        if (!string.IsNullOrEmpty(header))
        {
            return header;
        }

        var query = request.Query[LastEventIdQuery].ToString();
        return string.IsNullOrEmpty(query) ? null : query;
    }

    private static CancellationTokenSource? ExpiryTimer(DateTimeOffset? expiresAt)
    {
        if (expiresAt is not { } expiry)
        {
            return null;
        }

        var left = expiry - DateTimeOffset.UtcNow;
        return left < MaxTimer ? new CancellationTokenSource(left < TimeSpan.Zero ? TimeSpan.Zero : left) : null;
    }

    /// <summary>An urlencoded body, at most <paramref name="maxBytes"/>; any other body has no fields (the hub's reading).</summary>
    private static async Task<IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues>> ReadFormAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            return new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>();
        }

        if (request.ContentLength > maxBytes)
        {
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBytes;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        return form.ToDictionary(field => field.Key, field => field.Value, StringComparer.Ordinal);
    }

    /// <summary>A plain-text answer, as the hub's <c>http.Error</c> writes them (the text and a line break).</summary>
    private static IResult Text(int status, string text, bool lineEnd = true) =>
        Results.Text(lineEnd ? text + "\n" : text, "text/plain; charset=utf-8", statusCode: status);
}
