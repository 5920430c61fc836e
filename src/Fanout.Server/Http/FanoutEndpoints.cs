using Fanout.Hosting;
using Fanout.Server.Auth;
using Fanout.Server.Configuration;
using Fanout.Server.Limits;
using Fanout.Server.Diagnostics;
using Microsoft.Extensions.Options;

namespace Fanout.Server.Http;

/// <summary>The HTTP contract of a node (docs/protocol.md). Endpoints translate, nothing more.</summary>
public static class FanoutEndpoints
{
    public static IEndpointRouteBuilder MapFanout(this IEndpointRouteBuilder app)
    {
        var limits = app.ServiceProvider.GetRequiredService<IOptions<NodeOptions>>().Value.Limits;
        app.MapGet("/healthz", HealthEndpoints.Live);
        app.MapGet("/readyz", HealthEndpoints.Ready);
        app.MapGet("/topics", TopicEndpoints.ListAsync);
        app.MapGet("/events", SubscribeEndpoints.SubscribeManyAsync);
        app.MapGet("/topics/{**rest}", DispatchTopicAsync);
        var publish = app.MapPost("/topics/{**rest}", DispatchTopicAsync);
        if (PublishRateLimiting.IsEnabled(limits))
        {
            publish.RequireRateLimiting(PublishRateLimiting.Policy);
        }

        app.MapFanoutMetrics();
        app.MapAdmin();
        return app;
    }

    /// <summary>
    /// Topic names contain '/', so one catch-all route takes every path below /topics/ and
    /// the suffix decides. The raw path is used: %2F stays encoded there. The caller is
    /// authorized for the topic as soon as it is known, before any body is read.
    /// </summary>
    private static async Task<IResult> DispatchTopicAsync(
        HttpContext context, FanoutHub hub, IOptions<NodeOptions> node, TopicAuthorizer authorizer, SubscriberSlots slots)
    {
        const string prefix = "/topics/";
        var path = context.Request.Path.Value!;
        if (path.Length < prefix.Length)
        {
            // The catch-all also matches "/topics" itself, where only GET (the list) is mapped.
            return MethodNotAllowed(context, HttpMethods.Get, "Publish to /topics/{topic}/events.");
        }

        if (!TopicPath.TryParse(path[prefix.Length..], out var topic, out var resource, out var problem))
        {
            return Problems.BadRequest("Invalid topic name.", problem);
        }

        var isGet = HttpMethods.IsGet(context.Request.Method);
        TopicOperation? operation = (resource, isGet) switch
        {
            (TopicResource.Topic, true) => TopicOperation.Read,
            (TopicResource.Events, true) => TopicOperation.Subscribe,
            (TopicResource.Events or TopicResource.Batch, false) => TopicOperation.Publish,
            _ => null,
        };
        if (operation is null)
        {
            return resource == TopicResource.Topic
                ? MethodNotAllowed(context, HttpMethods.Get, "Publish to /topics/{topic}/events.")
                : MethodNotAllowed(context, HttpMethods.Post, "Batches are published with POST.");
        }

        if (await authorizer.AuthorizeAsync(context, [topic], operation.Value) is { } denied)
        {
            return denied;
        }

        return resource switch
        {
            TopicResource.Topic => await TopicEndpoints.GetTopicAsync(topic, hub, context.RequestAborted),
            TopicResource.Events when isGet => await SubscribeEndpoints.SubscribeOneAsync(context, topic, hub, slots, authorizer),
            TopicResource.Events => await PublishEndpoints.PublishOneAsync(context, topic, hub, node),
            _ => await PublishEndpoints.PublishBatchAsync(context, topic, hub, node),
        };
    }

    /// <summary>A 405 must say what is allowed (RFC 9110 §15.5.6).</summary>
    private static IResult MethodNotAllowed(HttpContext context, string allow, string title)
    {
        context.Response.Headers.Allow = allow;
        return Problems.MethodNotAllowed(title);
    }
}
