using Fanout.Hosting;
using Fanout.AspNetCore.Auth;
using Fanout.AspNetCore.Configuration;
using Fanout.AspNetCore.Limits;
using Fanout.AspNetCore.Diagnostics;
using Fanout.AspNetCore.Mercure;
using Fanout.Protocol;
using Microsoft.Extensions.Options;

namespace Fanout.AspNetCore.Http;

/// <summary>The HTTP contract of a node (docs/protocol.md). Endpoints translate, nothing more.</summary>
public static class FanoutEndpoints
{
    /// <summary>Maps every endpoint into <paramref name="group"/>, whose routes start with <paramref name="prefix"/>.</summary>
    public static void Map(RouteGroupBuilder group, string prefix)
    {
        var limits = ((IEndpointRouteBuilder)group).ServiceProvider.GetRequiredService<IOptions<NodeOptions>>().Value.Limits;
        var topicsPrefix = prefix + "/topics/";
        group.MapGet("/healthz", HealthEndpoints.Live);
        group.MapGet("/readyz", HealthEndpoints.Ready);
        group.MapGet("/topics", TopicEndpoints.ListAsync);
        group.MapGet("/events", SubscribeEndpoints.SubscribeManyAsync);
        group.MapGet("/topics/{**rest}", Dispatch);
        var publish = group.MapPost("/topics/{**rest}", Dispatch);
        if (PublishRateLimiting.IsEnabled(limits))
        {
            publish.RequireRateLimiting(PublishRateLimiting.Policy);
        }

        MercureEndpoints.Map(group);
        group.MapFanoutMetrics();
        group.MapAdmin();

        Task<IResult> Dispatch(HttpContext context, FanoutHub hub, IOptions<NodeOptions> node, TopicAuthorizer authorizer, SubscriberSlots slots) =>
            DispatchTopicAsync(topicsPrefix, context, hub, node, authorizer, slots);
    }

    /// <summary>
    /// Topic names contain '/', so one catch-all route takes every path below /topics/ and
    /// the suffix decides. The raw path is used: %2F stays encoded there. The caller is
    /// authorized for the topic as soon as it is known, before any body is read.
    /// </summary>
    private static async Task<IResult> DispatchTopicAsync(
        string prefix, HttpContext context, FanoutHub hub, IOptions<NodeOptions> node, TopicAuthorizer authorizer, SubscriberSlots slots)
    {
        var path = context.Request.Path.Value!;
        if (path.Length < prefix.Length)
        {
            // The catch-all also matches "/topics" itself, where only GET (the list) is mapped.
            return MethodNotAllowed(context, HttpMethods.Get, ProblemTitles.PublishWithPost);
        }

        if (!TopicPath.TryParse(path[prefix.Length..], out var topic, out var resource, out var problem))
        {
            return Problems.BadRequest(ProblemTitles.InvalidTopicName, problem);
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
                ? MethodNotAllowed(context, HttpMethods.Get, ProblemTitles.PublishWithPost)
                : MethodNotAllowed(context, HttpMethods.Post, ProblemTitles.BatchWithPost);
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
