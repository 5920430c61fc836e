using Akka.Actor;
using Fanout.Hosting;
using Fanout.AspNetCore.Configuration;
using Fanout.Protocol;
using Fanout.Topics;
using Microsoft.Extensions.Options;

namespace Fanout.AspNetCore.Http;

/// <summary><c>POST /topics/{topic}/events</c> and <c>POST /topics/{topic}/events:batch</c>.</summary>
public static class PublishEndpoints
{
    public static async Task<IResult> PublishOneAsync(HttpContext context, string topic, FanoutHub hub, IOptions<NodeOptions> node)
    {
        var limits = node.Value.Limits;
        var (body, problem) = await EventBodyReader.ReadAsync(context.Request, limits.MaxEventBytes, context.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        var (draft, invalid) = EventBodyReader.ParseOne(body!);
        if (invalid is not null)
        {
            return invalid;
        }

        var accepted = await AppendAsync(hub, topic, [draft!], context.RequestAborted);
        if (accepted.Problem is not null)
        {
            return accepted.Problem;
        }

        var first = accepted.Answer!.Events[0];
        // The answer shapes are the protocol's (Fanout.Protocol), written by its JSON context.
        return Results.Json(
            new PublishAnswer(topic, first.Seq, first.Id, first.Duplicate), FanoutJsonContext.Default.PublishAnswer, statusCode: StatusCodes.Status202Accepted);
    }

    public static async Task<IResult> PublishBatchAsync(HttpContext context, string topic, FanoutHub hub, IOptions<NodeOptions> node)
    {
        var limits = node.Value.Limits;
        var (body, problem) = await EventBodyReader.ReadAsync(context.Request, limits.MaxBatchBytes, context.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        var (drafts, invalid) = EventBodyReader.ParseBatch(body!, limits.MaxBatchEvents, limits.MaxEventBytes);
        if (invalid is not null)
        {
            return invalid;
        }

        var accepted = await AppendAsync(hub, topic, drafts!, context.RequestAborted);
        if (accepted.Problem is not null)
        {
            return accepted.Problem;
        }

        var events = accepted.Answer!.Events.Select(e => new BatchEventAnswer(e.Seq, e.Id, e.Duplicate)).ToList();
        return Results.Json(new BatchAnswer(topic, events), FanoutJsonContext.Default.BatchAnswer, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<(EventsAccepted? Answer, IResult? Problem)> AppendAsync(
        FanoutHub hub, string topic, IReadOnlyList<EventDraft> drafts, CancellationToken cancellationToken)
    {
        try
        {
            return (await hub.PublishAsync(topic, drafts, cancellationToken), null);
        }
        catch (AskTimeoutException)
        {
            // The topic may or may not have taken the events: a key makes the retry safe.
            return (null, Problems.Unavailable(ProblemTitles.PublishNotConfirmed, "Retry with the same 'key' to publish at most once."));
        }
        catch (PublishFailedException failed)
        {
            return (null, Problems.Unavailable(ProblemTitles.StoreRejectedPublish, failed.Reason + " Nothing was published; retry later."));
        }
    }
}
