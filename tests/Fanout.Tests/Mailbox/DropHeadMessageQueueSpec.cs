using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;
using Fanout.Mailbox;
using Fanout.Tests.Support;
using Xunit;

namespace Fanout.Tests.Mailbox;

public sealed class DropHeadMessageQueueSpec
{
    private const string Topic = "t";

    [Fact]
    public void Count_bound_drops_the_oldest_events_first()
    {
        var queue = new DropHeadMessageQueue(maxEvents: 4, maxBytes: long.MaxValue);

        EnqueueEvents(queue, 1, 10);

        Assert.Equal(4, queue.EventCount);
        Assert.Equal([7L, 8L, 9L, 10L], DrainSeqs(queue));
        Assert.Equal([new SeqRange(Topic, 1, 6)], queue.Drops.TakeAll());
        Assert.Equal(6, queue.Drops.TotalDropped);
    }

    [Fact]
    public void Byte_bound_drops_the_oldest_events_first()
    {
        var queue = new DropHeadMessageQueue(maxEvents: 100, maxBytes: 250);

        EnqueueEvents(queue, 1, 5, size: 100);

        Assert.Equal(2, queue.EventCount);
        Assert.Equal(200, queue.EventBytes);
        Assert.Equal([4L, 5L], DrainSeqs(queue));
        Assert.Equal([new SeqRange(Topic, 1, 3)], queue.Drops.TakeAll());
    }

    [Fact]
    public void Byte_bound_counts_each_event_at_its_own_size()
    {
        var queue = new DropHeadMessageQueue(maxEvents: 100, maxBytes: 1000);

        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 1, 400)));
        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 2, 100)));
        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 3, 100)));
        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 4, 100)));
        Assert.Equal(700, queue.EventBytes);

        // 1300 bytes: dropping the 400-byte head is enough to fit again.
        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 5, 600)));

        Assert.Equal(4, queue.EventCount);
        Assert.Equal(900, queue.EventBytes);
        Assert.Equal([2L, 3L, 4L, 5L], DrainSeqs(queue));
        Assert.Equal([new SeqRange(Topic, 1, 1)], queue.Drops.TakeAll());
    }

    [Theory]
    [InlineData(3, 10_000, 3)] // the count bound is reached first
    [InlineData(10, 250, 2)] // the byte bound is reached first
    public void Whichever_bound_is_reached_first_applies(int maxEvents, long maxBytes, int expectedKept)
    {
        var queue = new DropHeadMessageQueue(maxEvents, maxBytes);

        EnqueueEvents(queue, 1, 20, size: 100);

        Assert.Equal(expectedKept, queue.EventCount);
        Assert.Equal(expectedKept * 100L, queue.EventBytes);
        Assert.Equal(Enumerable.Range(21 - expectedKept, expectedKept).Select(n => (long)n), DrainSeqs(queue));
    }

    [Fact]
    public void An_event_larger_than_the_byte_bound_still_gets_through()
    {
        var queue = new DropHeadMessageQueue(maxEvents: 10, maxBytes: 100);

        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 1, 50)));
        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 2, 500)));

        Assert.Equal(1, queue.EventCount);
        Assert.Equal(500, queue.EventBytes);
        Assert.True(queue.TryDequeue(out var envelope));
        Assert.Equal(2, ((TestEvent)envelope.Message).Seq);
        Assert.Equal([new SeqRange(Topic, 1, 1)], queue.Drops.TakeAll());

        // An oversized event at the head is dropped like any other when a newer one comes.
        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 3, 500)));
        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 4, 10)));
        Assert.Equal([4L], DrainSeqs(queue));
        Assert.Equal([new SeqRange(Topic, 3, 3)], queue.Drops.TakeAll());
    }

    [Fact]
    public void Control_messages_survive_a_full_queue_and_are_dequeued_first()
    {
        var queue = new DropHeadMessageQueue(maxEvents: 2, maxBytes: 1000);
        object[] controls =
        [
            PoisonPill.Instance,
            Kill.Instance,
            new Terminated(ActorRefs.Nobody, existenceConfirmed: true, addressTerminated: false),
            new Status.Success("done"),
            new Status.Failure(new InvalidOperationException("broken")),
            new ControlNote("anything that is not an event"),
        ];

        EnqueueEvents(queue, 1, 2);
        foreach (var control in controls)
        {
            queue.Enqueue(ActorRefs.Nobody, Envelope(control));
        }

        EnqueueEvents(queue, 3, 6);

        // Many more control messages than either bound allows: none is dropped.
        for (var i = 0; i < 50; i++)
        {
            queue.Enqueue(ActorRefs.Nobody, Envelope(new ControlNote($"extra {i}")));
        }

        Assert.Equal(2, queue.EventCount);
        Assert.Equal(controls.Length + 50 + 2, queue.Count);

        var dequeued = new List<object>();
        while (queue.TryDequeue(out var envelope))
        {
            dequeued.Add(envelope.Message);
        }

        Assert.Equal(controls, dequeued.Take(controls.Length));
        Assert.Equal(
            Enumerable.Range(0, 50).Select(i => new ControlNote($"extra {i}")),
            dequeued.Skip(controls.Length).Take(50).Cast<ControlNote>());
        Assert.Equal([5L, 6L], dequeued.Skip(controls.Length + 50).Cast<TestEvent>().Select(e => e.Seq));
        Assert.Equal([new SeqRange(Topic, 1, 4)], queue.Drops.TakeAll());
    }

    [Fact]
    public void Counts_follow_every_enqueue_drop_and_dequeue()
    {
        var queue = new DropHeadMessageQueue(maxEvents: 3, maxBytes: 10_000);
        AssertCounts(queue, count: 0, events: 0, bytes: 0);

        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 1, 10)));
        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 2, 20)));
        AssertCounts(queue, count: 2, events: 2, bytes: 30);

        queue.Enqueue(ActorRefs.Nobody, Envelope(PoisonPill.Instance));
        AssertCounts(queue, count: 3, events: 2, bytes: 30);

        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 3, 30)));
        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 4, 40))); // drops seq 1
        AssertCounts(queue, count: 4, events: 3, bytes: 90);

        Assert.True(queue.TryDequeue(out var first));
        Assert.Same(PoisonPill.Instance, first.Message);
        AssertCounts(queue, count: 3, events: 3, bytes: 90);

        Assert.True(queue.TryDequeue(out var second));
        Assert.Equal(2, ((TestEvent)second.Message).Seq);
        AssertCounts(queue, count: 2, events: 2, bytes: 70);

        queue.Enqueue(ActorRefs.Nobody, Envelope(new ControlNote("reply")));
        var deadLetters = new UnboundedMessageQueue();
        queue.CleanUp(ActorRefs.Nobody, deadLetters);
        AssertCounts(queue, count: 0, events: 0, bytes: 0);
        Assert.False(queue.HasMessages);

        // Control messages go on to dead letters; queued events die with the subscriber.
        Assert.Equal(1, deadLetters.Count);
        Assert.True(deadLetters.TryDequeue(out var dead));
        Assert.Equal(new ControlNote("reply"), dead.Message);
    }

    [Fact]
    public void HasMessages_is_true_as_soon_as_Enqueue_returns()
    {
        var queue = new DropHeadMessageQueue(maxEvents: 1, maxBytes: 100);
        Assert.False(queue.HasMessages);

        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 1)));
        Assert.True(queue.HasMessages);

        queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, 2))); // overflows: drops seq 1
        Assert.True(queue.HasMessages);

        Assert.True(queue.TryDequeue(out _));
        Assert.False(queue.HasMessages);

        queue.Enqueue(ActorRefs.Nobody, Envelope(PoisonPill.Instance));
        Assert.True(queue.HasMessages);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 0)]
    [InlineData(-1, 100)]
    public void Bounds_must_be_positive(int maxEvents, long maxBytes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DropHeadMessageQueue(maxEvents, maxBytes));

    private static Envelope Envelope(object message) => new(message, ActorRefs.NoSender);

    private static void EnqueueEvents(DropHeadMessageQueue queue, long from, long to, int size = 100)
    {
        for (var seq = from; seq <= to; seq++)
        {
            queue.Enqueue(ActorRefs.Nobody, Envelope(new TestEvent(Topic, seq, size)));
        }
    }

    private static List<long> DrainSeqs(DropHeadMessageQueue queue)
    {
        var seqs = new List<long>();
        while (queue.TryDequeue(out var envelope))
        {
            seqs.Add(((TestEvent)envelope.Message).Seq);
        }

        return seqs;
    }

    private static void AssertCounts(DropHeadMessageQueue queue, int count, int events, long bytes)
    {
        Assert.Equal(count, queue.Count);
        Assert.Equal(events, queue.EventCount);
        Assert.Equal(bytes, queue.EventBytes);
        Assert.Equal(count > 0, queue.HasMessages);
    }
}
