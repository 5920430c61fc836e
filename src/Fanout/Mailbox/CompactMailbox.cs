using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Fanout.Mailbox;

/// <summary>
/// Unbounded mailbox for the actors Akka.Streams runs each subscription's stream in (see
/// <c>fanout.stream-dispatcher</c>): a plain queue under a short lock that starts empty and
/// grows with the backlog. Akka's default mailbox holds a 32-slot lock-free segment from the
/// start, ≈ 1 KB for every idle subscriber's stream (S3 in docs/benchmarks.md); these
/// actors see a handful of messages at a time from a few senders, where a lock costs nothing.
/// </summary>
public sealed class CompactMailbox(Settings settings, Config config)
    : MailboxType(settings, config), IProducesMessageQueue<CompactMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CompactMessageQueue();
}

/// <summary>The queue of <see cref="CompactMailbox"/>: FIFO, unbounded, one lock.</summary>
public sealed class CompactMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly Lock _gate = new();
    private readonly Queue<Envelope> _queue = new();
    private int _count;

    public bool HasMessages => Count > 0;

    public int Count => Volatile.Read(ref _count);

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (_gate)
        {
            _queue.Enqueue(envelope);
            Volatile.Write(ref _count, _count + 1);
        }
    }

    public bool TryDequeue(out Envelope envelope)
    {
        if (Count == 0)
        {
            envelope = default;
            return false;
        }

        lock (_gate)
        {
            if (!_queue.TryDequeue(out envelope))
            {
                return false;
            }

            Volatile.Write(ref _count, _count - 1);
            return true;
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope))
        {
            deadletters.Enqueue(owner, envelope);
        }
    }
}
