using System.Collections.Concurrent;
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
/// Enqueue and dequeue are lock-free (<see cref="ConcurrentQueue{T}"/> plus interlocked
/// counters). Only the overflow path takes a lock, so that concurrent producers record
/// drops in queue order. The newest event is never dropped: a single event larger than
/// the byte bound still gets through.
/// </remarks>
public sealed class DropHeadMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly ConcurrentQueue<Envelope> _control = new();
    private readonly ConcurrentQueue<Envelope> _events = new();
    private readonly object _dropGate = new();
    private readonly int _maxEvents;
    private readonly long _maxBytes;
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

    public bool HasMessages => !_control.IsEmpty || !_events.IsEmpty;

    public int Count => Volatile.Read(ref _controlCount) + Volatile.Read(ref _eventCount);

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        if (envelope.Message is not IDroppableMessage droppable)
        {
            _control.Enqueue(envelope);
            Interlocked.Increment(ref _controlCount);
            return;
        }

        _events.Enqueue(envelope);
        var count = Interlocked.Increment(ref _eventCount);
        var bytes = Interlocked.Add(ref _eventBytes, droppable.SizeInBytes);
        if (count > _maxEvents || bytes > _maxBytes)
        {
            DropOldest();
        }
    }

    public bool TryDequeue(out Envelope envelope)
    {
        if (_control.TryDequeue(out envelope))
        {
            Interlocked.Decrement(ref _controlCount);
            return true;
        }

        if (_events.TryDequeue(out envelope))
        {
            Forget((IDroppableMessage)envelope.Message);
            return true;
        }

        return false;
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        // Control messages may matter to someone (replies, watch notifications): hand them
        // to dead letters. Queued events belong to a subscriber that is gone: drop them.
        while (_control.TryDequeue(out var envelope))
        {
            Interlocked.Decrement(ref _controlCount);
            deadletters.Enqueue(owner, envelope);
        }

        while (_events.TryDequeue(out var envelope))
        {
            Forget((IDroppableMessage)envelope.Message);
        }
    }

    private void DropOldest()
    {
        lock (_dropGate)
        {
            while ((Volatile.Read(ref _eventCount) > _maxEvents || Interlocked.Read(ref _eventBytes) > _maxBytes)
                   && Volatile.Read(ref _eventCount) > 1
                   && _events.TryDequeue(out var oldest))
            {
                var dropped = (IDroppableMessage)oldest.Message;
                Forget(dropped);
                Drops.Record(dropped);
            }
        }
    }

    private void Forget(IDroppableMessage message)
    {
        Interlocked.Decrement(ref _eventCount);
        Interlocked.Add(ref _eventBytes, -message.SizeInBytes);
    }
}
