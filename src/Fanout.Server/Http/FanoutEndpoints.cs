using Fanout.Hosting;
using Fanout.Server.Configuration;
using Fanout.Server.Diagnostics;
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
        app.MapFanoutMetrics();
        app.MapAdmin();
        return app;
    }

    /// <summary>
    /// Topic names contain '/', so one catch-all route takes every path below /topics/ and
    /// the suffix decides. The raw path is used: %2F stays encoded there.
    /// </summary>
    private static async Task<IResult> DispatchTopicAsync(HttpContext context, FanoutHub hub, IOptions<NodeOptions> node)
    {
        var rest = context.Request.Path.Value!["/topics/".Length..];
        if (!TopicPath.TryParse(rest, out var topic, out var resource, out var problem))
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
            (TopicResource.Topic, false) => Problems.MethodNotAllowed("Publish to /topics/{topic}/events."),
            _ => Problems.MethodNotAllowed("Batches are published with POST."),
        };
    }
}
