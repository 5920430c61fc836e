using Akka.Actor;
using Akka.Dispatch;
using BenchmarkDotNet.Attributes;
using Fanout.Mailbox;
using Fanout.Topics;

namespace Fanout.Benchmarks;

/// <summary>
/// The subscriber mailbox on its own: an enqueue/dequeue pair while it has room (the
/// common case), and an enqueue into a full mailbox (drop the oldest, record the run).
/// </summary>
public class DropHeadMessageQueueBenchmarks
{
    private const int Batch = 1024;
    private Envelope[] _events = [];
    private DropHeadMessageQueue _queue = null!;
    private DropHeadMessageQueue _full = null!;

    [GlobalSetup]
    public void Setup()
    {
        var body = new byte[512];
        _events = Enumerable.Range(1, Batch)
            .Select(i => new Envelope(new TopicEvent("t", "e", i, new byte[16], body), ActorRefs.NoSender))
            .ToArray();
        _queue = new DropHeadMessageQueue(1024, 2 * 1024 * 1024);
        _full = new DropHeadMessageQueue(1024, 2 * 1024 * 1024);
        foreach (var envelope in _events)
        {
            _full.Enqueue(ActorRefs.Nobody, envelope);
        }

    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "enqueue+dequeue, room")]
    public int EnqueueDequeue()
    {
        var taken = 0;
        foreach (var envelope in _events)
        {
            _queue.Enqueue(ActorRefs.Nobody, envelope);
        }

        while (_queue.TryDequeue(out _))
        {
            taken++;
        }

        return taken;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "enqueue, full (drop oldest)")]
    public long EnqueueFull()
    {
        // The same seqs each invoke: within one, every drop extends the ledger's current run.
        foreach (var envelope in _events)
        {
            _full.Enqueue(ActorRefs.Nobody, envelope);
        }

        _full.Drops.TakeAll();
        return _full.Drops.TotalDropped;
    }
}
