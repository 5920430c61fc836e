using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Fanout.Mailbox;

/// <summary>
/// A message queue bounded by count and by bytes that, when full, discards its oldest
/// droppable message. Control messages (anything not <see cref="IDroppableMessage"/>:
/// PoisonPill, Terminated, stream signals, replies) live in their own queue, are never
/// dropped and are dequeued first.
/// </summary>
/// <remarks>
/// One short lock guards both queues, so an enqueue, its drops and their order in the
/// ledger happen as one step, and the newest event is never dropped (a single event
/// larger than the byte bound still gets through). Plain queues that start empty and grow
/// with the backlog keep an idle subscriber's mailbox to a few hundred bytes, where two
/// lock-free queues held two 32-slot segments each from the start (≈ 2 KiB per subscriber,
/// S3 in docs/benchmarks.md). The counts are written under the lock and read without it.
/// </remarks>
public sealed class DropHeadMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly Lock _gate = new();
    private readonly Queue<Envelope> _events = new();
    private readonly int _maxEvents;
    private readonly long _maxBytes;
    private Queue<Envelope>? _control;
    private int _controlCount;
    private int _eventCount;
    private long _eventBytes;

    public DropHeadMessageQueue(int maxEvents, long maxBytes)
    {
        if (maxEvents < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxEvents), maxEvents, "A drop-head mailbox holds at least one event.");
        }

        if (maxBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "A drop-head mailbox holds at least one byte.");
        }

        _maxEvents = maxEvents;
        _maxBytes = maxBytes;
    }

    public DropLedger Drops { get; } = new();

    public int MaxEvents => _maxEvents;

    public long MaxBytes => _maxBytes;

    public int EventCount => Volatile.Read(ref _eventCount);

    public long EventBytes => Interlocked.Read(ref _eventBytes);

    public bool HasMessages => Count > 0;

    public int Count => Volatile.Read(ref _controlCount) + Volatile.Read(ref _eventCount);

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (_gate)
        {
            if (envelope.Message is not IDroppableMessage droppable)
            {
                (_control ??= new Queue<Envelope>()).Enqueue(envelope);
                Volatile.Write(ref _controlCount, _controlCount + 1);
                return;
            }

            _events.Enqueue(envelope);
            Volatile.Write(ref _eventCount, _eventCount + 1);
            Interlocked.Exchange(ref _eventBytes, _eventBytes + droppable.SizeInBytes);
            while ((_eventCount > _maxEvents || _eventBytes > _maxBytes) && _eventCount > 1)
            {
                var dropped = (IDroppableMessage)_events.Dequeue().Message;
                Forget(dropped);
                Drops.Record(dropped);
            }
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
            if (_control is { Count: > 0 } control)
            {
                envelope = control.Dequeue();
                Volatile.Write(ref _controlCount, _controlCount - 1);
                return true;
            }

            if (_events.TryDequeue(out envelope))
            {
                Forget((IDroppableMessage)envelope.Message);
                return true;
            }

            return false;
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        // Control messages may matter to someone (replies, watch notifications): hand them
        // to dead letters. Queued events belong to a subscriber that is gone: drop them.
        List<Envelope> control;
        lock (_gate)
        {
            control = _control is null ? [] : [.. _control];
            _control?.Clear();
            Volatile.Write(ref _controlCount, 0);
            _events.Clear();
            Volatile.Write(ref _eventCount, 0);
            Interlocked.Exchange(ref _eventBytes, 0);
        }

        foreach (var envelope in control)
        {
            deadletters.Enqueue(owner, envelope);
        }
    }

    /// <summary>Takes a message's share off the counts; callers hold the lock.</summary>
    private void Forget(IDroppableMessage message)
    {
        Volatile.Write(ref _eventCount, _eventCount - 1);
        Interlocked.Exchange(ref _eventBytes, _eventBytes - message.SizeInBytes);
    }
}
