using Akka.Actor;
using Fanout.Hosting;
using Fanout.AspNetCore.Auth;
using Fanout.AspNetCore.Configuration;
using Fanout.Topics;
using Microsoft.Extensions.Options;
using Fanout.Protocol;

namespace Fanout.AspNetCore.Http;

public sealed record HistorySpan(long FromSeq, long ToSeq, int Events, long Bytes);

public sealed record TopicAnswer(string Topic, string Epoch, int Subscribers, long LastSeq, HistorySpan History);

public sealed record TopicListAnswer(IReadOnlyList<TopicAnswer> Topics, bool Truncated);

/// <summary><c>GET /topics</c> and <c>GET /topics/{topic}</c>.</summary>
public static class TopicEndpoints
{
    public static async Task<IResult> GetTopicAsync(string topic, FanoutHub hub, CancellationToken cancellationToken)
    {
        try
        {
            var state = await hub.GetTopicStateAsync(topic, cancellationToken);
            if (state.LastSeq == 0)
            {
                // Asking about a topic creates nothing: it stays unknown until its first event.
                return Problems.NotFound(ProblemTitles.TopicHasNoEvents(topic));
            }

            var subscribers = await hub.GetClusterSubscribersAsync(cancellationToken);
            return Results.Json(ToAnswer(state, subscribers.GetValueOrDefault(topic)));
        }
        catch (AskTimeoutException)
        {
            return Problems.Unavailable(ProblemTitles.TopicDidNotAnswer);
        }
    }

    /// <summary>Lists only the topics the caller may subscribe or publish to.</summary>
    public static async Task<IResult> ListAsync(
        HttpContext context, FanoutHub hub, IOptions<NodeOptions> node, TopicAuthorizer authorizer, CancellationToken cancellationToken)
    {
        var subscribers = await hub.GetClusterSubscribersAsync(cancellationToken);
        var alive = await hub.GetClusterTopicsAsync(cancellationToken);
        var all = alive.Union(subscribers.Keys).Order(StringComparer.Ordinal).ToList();
        var (names, denied) = await authorizer.VisibleAsync(context, all);
        if (denied is not null)
        {
            return denied;
        }

        var max = node.Value.Limits.MaxListedTopics;
        var states = await Task.WhenAll(names!.Take(max).Select(async name =>
        {
            try
            {
                return await hub.GetTopicStateAsync(name, cancellationToken);
            }
            catch (AskTimeoutException)
            {
                return null;
            }
        }));

        var topics = states
            .Where(s => s is not null && (s.LastSeq > 0 || subscribers.ContainsKey(s.Topic)))
            .Select(s => ToAnswer(s!, subscribers.GetValueOrDefault(s!.Topic)))
            .ToList();
        return Results.Json(new TopicListAnswer(topics, names!.Count > max));
    }

    private static TopicAnswer ToAnswer(TopicState state, int subscribers) =>
        new(
            state.Topic,
            state.Epoch,
            subscribers,
            state.LastSeq,
            new HistorySpan(state.FirstAvailableSeq, state.LastSeq, state.HistoryEvents, state.HistoryBytes));
}
