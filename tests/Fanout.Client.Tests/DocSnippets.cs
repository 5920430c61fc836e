using Fanout.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Client.Tests;

/// <summary>
/// The code of docs/client.md: each <c>#region snippet:NAME</c> is the page's block after
/// <c>&lt;!-- snippet: NAME --&gt;</c> (<see cref="DocSnippetTests"/> checks they are the same
/// text), so every snippet on the page compiles; the publishing ones also run against a node.
/// </summary>
public static class DocSnippets
{
    public sealed record Order(int Id, decimal Total);

    public static async Task CreateAsync()
    {
        #region snippet:create
        using var client = new FanoutClient(new Uri("http://127.0.0.1:8080"));
        #endregion
        await Task.CompletedTask;
        _ = client;
    }

    public static void Register(IServiceCollection services, Func<CancellationToken, ValueTask<string?>> getAccessToken)
    {
        #region snippet:di
        services.AddFanoutClient(options =>
        {
            options.BaseAddress = new Uri("http://127.0.0.1:8080");
            // Asked before every request and every reconnect: return a fresh token.
            options.TokenProvider = getAccessToken;
            options.HeartbeatTimeout = TimeSpan.FromSeconds(45);
        });
        // then: app code takes FanoutClient from the container
        #endregion
    }

    public static async Task<PublishResult> PublishAsync(FanoutClient client)
    {
        #region snippet:publish
        var result = await client.PublishAsync(
            "orders/1", new Order(1, 9.50m), type: "order.created", key: "order-1-created");
        Console.WriteLine($"{result.Topic} seq {result.Seq} id {result.Id} duplicate {result.Duplicate}");
        #endregion
        return result;
    }

    public static async Task<IReadOnlyList<PublishResult>> PublishBatchAsync(FanoutClient client)
    {
        #region snippet:batch
        var results = await client.PublishBatchAsync("orders/1",
        [
            new FanoutMessage(new Order(2, 5m), "order.created", Key: "order-2-created"),
            new FanoutMessage(new Order(2, 5m), "order.paid", Key: "order-2-paid"),
        ]);
        #endregion
        return results;
    }

    public static async Task SubscribeAsync(FanoutClient client, CancellationToken cancellationToken)
    {
        #region snippet:subscribe
        string? lastId = null; // or the id you stored, to resume after your process restarts
        await foreach (var e in client.SubscribeAsync(["orders/1"], lastId, cancellationToken))
        {
            switch (e.Kind)
            {
                case FanoutEventKind.Event:
                    Console.WriteLine($"{e.Type}: {e.Deserialize<Order>()}");
                    break;
                case FanoutEventKind.Lagged:
                    Console.WriteLine($"missed {e.Lagged!.Dropped} events of {e.Topic} (seq {e.Lagged.FromSeq}-{e.Lagged.ToSeq})");
                    break;
                case FanoutEventKind.Reset:
                    Console.WriteLine($"reload {e.Topic}: {e.Reset!.Reason}");
                    break;
            }

            lastId = e.Id ?? lastId;
        }
        #endregion
    }

    public static async Task HandleProblemsAsync(FanoutClient client)
    {
        #region snippet:problems
        try
        {
            await client.PublishAsync("orders/1", new Order(3, 1m));
        }
        catch (FanoutProblemException problem)
        {
            // e.g. 401 "A bearer token is required to publish to topic 'orders/1'."
            Console.WriteLine($"{(int)problem.Status} {problem.Title} {problem.Detail}");
        }
        #endregion
    }
}
