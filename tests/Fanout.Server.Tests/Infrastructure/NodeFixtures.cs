namespace Fanout.Server.Tests.Infrastructure;

/// <summary>A node shared by the tests of one class; each test uses topics of its own.</summary>
public abstract class NodeFixture : IAsyncLifetime
{
    private TestNode? _node;

    public TestNode Node => _node ?? throw new InvalidOperationException("The node is not started.");

    protected abstract string[] Settings { get; }

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(Settings);

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}

/// <summary>
/// Small limits so each bound is easy to cross: 4 KiB events, batches of 10, 4 topics per
/// stream, a 100-event history, a heartbeat every second.
/// </summary>
public sealed class SmallLimitsNode : NodeFixture
{
    public const int MaxEventBytes = 4096;
    public const int MaxBatchEvents = 10;
    public const int MaxTopicsPerSubscription = 4;
    public const int HistoryEvents = 100;
    public const int RetryMilliseconds = 2500;

    protected override string[] Settings =>
    [
        $"Fanout:Limits:MaxEventBytes={MaxEventBytes}",
        $"Fanout:Limits:MaxBatchEvents={MaxBatchEvents}",
        $"Fanout:Limits:MaxTopicsPerSubscription={MaxTopicsPerSubscription}",
        $"Fanout:Topic:HistoryEvents={HistoryEvents}",
        $"Fanout:Subscriber:RetryMilliseconds={RetryMilliseconds}",
        "Fanout:Subscriber:HeartbeatSeconds=1",
    ];
}
