using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Client.Tests;

public sealed class RetryTests
{
    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        await using var node = await ClientNode.StartAsync("--Fanout:Limits:PublishPermitLimit=1", "--Fanout:Limits:PublishWindowSeconds=2", "--Fanout:Limits:UnlimitedLoopbackPublishers=false");
        var attempts = new ConcurrentQueue<Attempt>();
        var services = new ServiceCollection();
        services.AddFanoutClient(o => o.BaseAddress = node.Url)
            .AddHttpMessageHandler(() => new RecordingHandler(attempts));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<FanoutClient>();

        var first = await client.PublishAsync("limited/topic", 1);
        var second = await client.PublishAsync("limited/topic", 2);

        Assert.Equal(first.Seq + 1, second.Seq);
        // The limiter's window may reopen a moment after the Retry-After it announced, so a
        // retry can meet another 429; each is retried after its own Retry-After.
        var seen = attempts.ToList();
        Assert.Equal(HttpStatusCode.Accepted, seen[0].Status);
        Assert.Equal(HttpStatusCode.Accepted, seen[^1].Status);
        Assert.InRange(seen.Count, 3, 5);
        for (var i = 1; i < seen.Count - 1; i++)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, seen[i].Status);
            var retryAfter = seen[i].RetryAfter ?? throw new InvalidOperationException("The 429 had no Retry-After.");
            var waited = seen[i + 1].SentAt - seen[i].AnsweredAt;
            Assert.True(waited >= retryAfter - TimeSpan.FromMilliseconds(50),
                $"The retry went out {waited.TotalMilliseconds:0} ms after a Retry-After of {retryAfter.TotalSeconds} s.");
        }
    }

    [Fact]
    public async Task Without_retries_a_429_is_a_problem_exception_carrying_Retry_After()
    {
        await using var node = await ClientNode.StartAsync("--Fanout:Limits:PublishPermitLimit=1", "--Fanout:Limits:PublishWindowSeconds=30", "--Fanout:Limits:UnlimitedLoopbackPublishers=false");
        using var client = new FanoutClient(new FanoutClientOptions { BaseAddress = node.Url, MaxRetryAttempts = 0 });
        await client.PublishAsync("limited/once", 1);
        var problem = await Assert.ThrowsAsync<FanoutProblemException>(() => client.PublishAsync("limited/once", 2));
        Assert.Equal(HttpStatusCode.TooManyRequests, problem.Status);
        Assert.Equal(Protocol.ProblemTitles.TooManyPublishes(1, 30), problem.Title);
        Assert.NotNull(problem.RetryAfter);
        Assert.True(problem.RetryAfter > TimeSpan.Zero);
    }

    [Fact]
    public void Options_name_every_wrong_setting()
    {
        var options = new FanoutClientOptions { HeartbeatTimeout = TimeSpan.Zero, MaxReconnectAttempts = 0 };
        var problems = options.Validate().ToList();
        Assert.Contains(problems, p => p.StartsWith("FanoutClientOptions.BaseAddress", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("FanoutClientOptions.HeartbeatTimeout", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("FanoutClientOptions.MaxReconnectAttempts", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new FanoutClient(options));
    }

    private sealed record Attempt(HttpStatusCode Status, DateTimeOffset SentAt, DateTimeOffset AnsweredAt, TimeSpan? RetryAfter);

    /// <summary>Sits innermost (after the retry handler), so it sees every attempt.</summary>
    private sealed class RecordingHandler(ConcurrentQueue<Attempt> attempts) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sentAt = DateTimeOffset.UtcNow;
            var response = await base.SendAsync(request, cancellationToken);
            attempts.Enqueue(new Attempt(response.StatusCode, sentAt, DateTimeOffset.UtcNow, response.Headers.RetryAfter?.Delta));
            return response;
        }
    }
}
