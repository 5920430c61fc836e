using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fanout.Protocol;
using Fanout.Testing;

namespace Fanout.Client.Tests;

public sealed class AuthAndLifecycleTests
{
    private const string SigningKey = "fanout-client-tests-signing-key-0123456789";

    [Fact]
    public async Task The_token_provider_is_asked_again_for_every_reconnect()
    {
        await using var node = await ClientNode.StartAsync($"--Fanout:Auth:SigningKey={SigningKey}");
        await using var proxy = LoopbackProxy.Start(node.Url);
        const string topic = "secured/orders";
        var calls = 0;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var client = new FanoutClient(proxy.Url, _ =>
        {
            Interlocked.Increment(ref calls);
            log.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} call {calls}");
            return ValueTask.FromResult<string?>(Token(subject: "client-" + calls));
        });
        var admin = Token("tests");

        var first = await client.PublishAsync(topic, 1);
        Assert.Equal(1, calls);
        await using var reading = new Reading(client, topic, first.Id);
        reading.Open();
        await node.AwaitSubscribersAsync(topic, 1, admin);
        Assert.Equal(2, calls);

        // An event read proves the stream is open on the client's side too: cut before
        // that, and the HTTP stack itself would resend the request on a new connection.
        var live = await node.PublishRawAsync(topic, 1, admin);
        Assert.Equal(live.Id, (await reading.NextAsync()).Id);
        proxy.CutAndHold();
        log.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} cut");
        await node.AwaitSubscribersAsync(topic, 0, admin);
        log.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} zero");
        var missed = await node.PublishRawAsync(topic, 2, admin);
        proxy.Restore();

        log.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} restored");
        var got = await reading.NextAsync();
        log.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} got {got}");
        Assert.Equal(missed.Id, got.Id);
        Assert.True(calls >= 3, $"The token provider was asked {calls} times; the reconnect should have asked again. " + string.Join(" | ", log));
    }

    [Fact]
    public async Task A_refused_publish_is_a_problem_exception_with_status_and_title()
    {
        await using var node = await ClientNode.StartAsync($"--Fanout:Auth:SigningKey={SigningKey}");
        using var client = new FanoutClient(node.Url);
        var problem = await Assert.ThrowsAsync<FanoutProblemException>(() => client.PublishAsync("secured/none", 1));
        Assert.Equal(HttpStatusCode.Unauthorized, problem.Status);
        Assert.Equal(ProblemTitles.TokenRequired("publish to", "secured/none"), problem.Title);

        using var reader = new FanoutClient(node.Url, _ => ValueTask.FromResult<string?>(Token(subscribe: ["other/*"])));
        var forbidden = await Assert.ThrowsAsync<FanoutProblemException>(async () =>
        {
            await foreach (var _ in reader.SubscribeAsync("secured/none"))
            {
            }
        });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Equal(ProblemTitles.TopicNotGranted("subscribe to", "secured/none"), forbidden.Title);
    }

    [Fact]
    public async Task A_bad_event_type_is_a_400_problem()
    {
        await using var node = await ClientNode.StartAsync();
        using var client = new FanoutClient(node.Url);
        var problem = await Assert.ThrowsAsync<FanoutProblemException>(() => client.PublishAsync("bad/type", 1, type: "fanout.mine"));
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal(ProblemTitles.InvalidType(), problem.Title);
    }

    [Fact]
    public async Task Cancelling_ends_the_enumeration_promptly_and_closes_the_connection()
    {
        await using var node = await ClientNode.StartAsync();
        using var client = new FanoutClient(node.Url);
        const string topic = "cancel/me";
        await client.PublishAsync(topic, 1);
        using var stop = new CancellationTokenSource();
        var enumerator = client.SubscribeAsync(topic, cancellationToken: stop.Token).GetAsyncEnumerator();
        var move = enumerator.MoveNextAsync().AsTask();
        await node.AwaitSubscribersAsync(topic, 1);

        await stop.CancelAsync();
        var ended = await Task.WhenAny(move, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(move, ended);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => move);
        await enumerator.DisposeAsync();
        await node.AwaitSubscribersAsync(topic, 0);
    }

    [Fact]
    public async Task Heartbeat_silence_past_the_bound_counts_as_a_dead_connection()
    {
        // The node sends no keepalive at all; the client allows one second of silence.
        await using var node = await ClientNode.StartAsync("--Fanout:Subscriber:HeartbeatSeconds=0");
        var opened = 0;
        using var client = new FanoutClient(new FanoutClientOptions
        {
            BaseAddress = node.Url,
            HeartbeatTimeout = TimeSpan.FromSeconds(1),
            TokenProvider = _ =>
            {
                Interlocked.Increment(ref opened);
                return ValueTask.FromResult<string?>(null);
            },
        });
        const string topic = "silent/topic";
        var first = await client.PublishAsync(topic, 0);
        var publishes = opened;
        await using var reading = new Reading(client, topic, first.Id);
        reading.Open();
        await Eventually.HoldsAsync(() => Task.FromResult(opened - publishes >= 3), TimeSpan.FromSeconds(30), "the silent stream reopened twice");

        var next = await node.PublishRawAsync(topic, 1);
        var item = await reading.NextAsync();
        Assert.Equal(next.Id, item.Id);
    }

    /// <summary>An HS256 JWT with a <c>fanout</c> claim, as docs/security.md describes.</summary>
    private static string Token(string subject = "client-tests", string[]? publish = null, string[]? subscribe = null)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
            ["fanout"] = new Dictionary<string, string[]> { ["publish"] = publish ?? ["*"], ["subscribe"] = subscribe ?? ["*"] },
        };
        var unsigned = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" })) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.ASCII.GetBytes(unsigned));
        return unsigned + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
