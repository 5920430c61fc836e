using Akka.Actor;
using Fanout.Hosting;
using Fanout.Publishing;
using Fanout.Protocol;

namespace Fanout.AspNetCore.Http;

public sealed record AdminSubscribersAnswer(IReadOnlyList<SubscriberInfo> Subscribers, IReadOnlyList<string> UnansweredMembers);

/// <summary>
/// <c>GET /admin/subscribers</c> (every subscriber in the cluster, slowest first) and
/// <c>DELETE /admin/subscribers/{id}</c> (close one, wherever it is connected).
/// Guarded by <see cref="AdminAccess.PolicyName"/>.
/// </summary>
public static class AdminEndpoints
{
    public const int MaxIdLength = 64;

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(AdminAccess.PolicyName);
        admin.MapGet("/subscribers", ListSubscribersAsync);
        admin.MapDelete("/subscribers/{id}", CloseSubscriberAsync);
        return app;
    }

    public static async Task<IResult> ListSubscribersAsync(FanoutHub hub, CancellationToken cancellationToken)
    {
        var details = await hub.GetClusterSubscriberDetailsAsync(cancellationToken);
        return Results.Json(new AdminSubscribersAnswer(details.Subscribers, details.UnansweredMembers));
    }

    public static async Task<IResult> CloseSubscriberAsync(string id, FanoutHub hub, CancellationToken cancellationToken)
    {
        if (id.Length > MaxIdLength)
        {
            return Problems.BadRequest(ProblemTitles.SubscriberIdTooLong(MaxIdLength));
        }

        try
        {
            return await hub.CloseSubscriberAsync(id, cancellationToken)
                ? Results.NoContent()
                : Problems.NotFound(ProblemTitles.SubscriberNotConnected(id));
        }
        catch (AskTimeoutException)
        {
            return Problems.Unavailable(ProblemTitles.ClusterDidNotAnswer);
        }
    }
}
