using Fanout.Hosting;
using Fanout.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Fanout.Server.Http;

/// <summary>The HTTP contract of a node (docs/protocol.md). Endpoints translate, nothing more.</summary>
public static class FanoutEndpoints
{
    public static IEndpointRouteBuilder MapFanout(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", HealthEndpoints.Live);
        app.MapGet("/readyz", HealthEndpoints.Ready);
        app.MapGet("/topics", TopicEndpoints.ListAsync);
        app.MapGet("/events", SubscribeEndpoints.SubscribeManyAsync);
        app.MapMethods("/topics/{**rest}", [HttpMethods.Get, HttpMethods.Post], DispatchTopicAsync);
        return app;
    }

    /// <summary>
    /// Topic names contain '/', so one catch-all route takes every path below /topics/ and
    /// the suffix decides. The raw path is used: %2F stays encoded there.
    /// </summary>
    private static async Task<IResult> DispatchTopicAsync(HttpContext context, FanoutHub hub, IOptions<NodeOptions> node)
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
        return (resource, isGet) switch
        {
            (TopicResource.Topic, true) => await TopicEndpoints.GetTopicAsync(topic, hub, context.RequestAborted),
            (TopicResource.Events, true) => await SubscribeEndpoints.SubscribeOneAsync(context, topic, hub),
            (TopicResource.Events, false) => await PublishEndpoints.PublishOneAsync(context, topic, hub, node),
            (TopicResource.Batch, false) => await PublishEndpoints.PublishBatchAsync(context, topic, hub, node),
            (TopicResource.Topic, false) => MethodNotAllowed(context, HttpMethods.Get, "Publish to /topics/{topic}/events."),
            _ => MethodNotAllowed(context, HttpMethods.Post, "Batches are published with POST."),
        };
    }

    /// <summary>A 405 must say what is allowed (RFC 9110 §15.5.6).</summary>
    private static IResult MethodNotAllowed(HttpContext context, string allow, string title)
    {
        context.Response.Headers.Allow = allow;
        return Problems.MethodNotAllowed(title);
    }
}
