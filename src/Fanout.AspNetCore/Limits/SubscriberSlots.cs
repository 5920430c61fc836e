using System.Threading.RateLimiting;
using Fanout.AspNetCore.Configuration;
using Microsoft.Extensions.Options;

namespace Fanout.AspNetCore.Limits;

/// <summary>
/// Caps the live SSE streams of this node: each stream holds a slot until it ends. With all
/// slots taken a new subscriber is turned away at once (no queue), so a flood of
/// subscribers cannot grow memory past the cap times the per-subscriber bound.
/// </summary>
public sealed class SubscriberSlots : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;

    public SubscriberSlots(IOptions<NodeOptions> node)
    {
        Capacity = node.Value.Limits.MaxSubscribersPerNode;
        RetryAfter = TimeSpan.FromSeconds(node.Value.Limits.SubscriberRetryAfterSeconds);
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Capacity,
            QueueLimit = 0,
        });
    }

    public int Capacity { get; }

    public TimeSpan RetryAfter { get; }

    public long InUse => Capacity - (_limiter.GetStatistics()?.CurrentAvailablePermits ?? Capacity);

    /// <summary>A slot to hold for the stream's lifetime; check <see cref="RateLimitLease.IsAcquired"/>.</summary>
    public RateLimitLease TryTake() => _limiter.AttemptAcquire();

    public void Dispose() => _limiter.Dispose();
}
