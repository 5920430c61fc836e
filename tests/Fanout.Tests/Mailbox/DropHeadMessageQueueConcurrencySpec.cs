using System.Diagnostics;
using Akka.Actor;
using Akka.Dispatch;
using Fanout.Mailbox;
using Fanout.Tests.Support;
using Xunit;

namespace Fanout.Tests.Mailbox;

/// <summary>
/// Several producer threads against one drop-head queue. Each producer owns a topic and
/// enqueues seqs 1..N in order, so every seq of every topic must end up exactly once
/// either dequeued or recorded as dropped, and per topic both in increasing order.
/// </summary>
public sealed class DropHeadMessageQueueConcurrencySpec
{
    private const int Producers = 4;
    private const int EventsPerProducer = 20_000;
    private const int MaxEvents = 64;

    // Sizes vary between 50 and 149 bytes, so this bound bites before the count bound
    // about as often as not.
    private const long MaxBytes = 6_400;
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Concurrent_producers_keep_the_bounds_and_HasMessages()
    {
        var queue = new DropHeadMessageQueue(MaxEvents, MaxBytes);
        var emptyAfterEnqueue = 0;
        var maxSeenEvents = 0;

        await RunProducers(queue, () =>
        {
            if (!queue.HasMessages)
            {
                Interlocked.Increment(ref emptyAfterEnqueue);
            }

            var seen = queue.EventCount;
            var max = Volatile.Read(ref maxSeenEvents);
            while (seen > max)
            {
                var before = Interlocked.CompareExchange(ref maxSeenEvents, seen, max);
                max = before == max ? seen : before;
            }
        });

        Assert.Equal(0, emptyAfterEnqueue);

        // While producers race, a producer's increment may be seen before its own drop.
        Assert.InRange(maxSeenEvents, 1, MaxEvents + Producers);

        // At rest the bounds hold exactly.
        Assert.InRange(queue.EventCount, 1, MaxEvents);
        Assert.InRange(queue.EventBytes, 1, MaxBytes);
        Assert.Equal(queue.EventCount, queue.Count);

        var bytesAtRest = queue.EventBytes;
        var dequeued = Drain(queue);
        Assert.Equal(bytesAtRest, SumOfSizes(dequeued));
        Assert.Equal(0, queue.EventBytes);
        AssertEveryEventAccountedOnce(queue, dequeued);
    }

    [Fact]
    public async Task Concurrent_producers_and_a_consumer_account_for_every_event()
    {
        var queue = new DropHeadMessageQueue(MaxEvents, MaxBytes);
        var dequeued = new List<TestEvent>();
        using var producersDone = new CancellationTokenSource();

        var consumer = Task.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < RunLimit)
            {
                if (queue.TryDequeue(out var envelope))
                {
                    dequeued.Add((TestEvent)envelope.Message);
                }
                else if (producersDone.IsCancellationRequested && !queue.HasMessages)
                {
                    return;
                }
                else
                {
                    Thread.Yield();
                }
            }

            throw new TimeoutException("The consumer did not finish within the run limit.");
        });

        await RunProducers(queue, () => { });
        await producersDone.CancelAsync();
        await consumer.WaitAsync(RunLimit);

        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.EventCount);
        Assert.Equal(0, queue.EventBytes);
        AssertEveryEventAccountedOnce(queue, dequeued);
    }

    private static async Task RunProducers(DropHeadMessageQueue queue, Action afterEnqueue)
    {
        using var start = new Barrier(Producers);
        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            var topic = $"p{p}";
            start.SignalAndWait(RunLimit);
            for (var seq = 1; seq <= EventsPerProducer; seq++)
            {
                var message = new TestEvent(topic, seq, 50 + (seq * 7 % 100));
                queue.Enqueue(ActorRefs.Nobody, new Envelope(message, ActorRefs.NoSender));
                afterEnqueue();
            }
        }));

        await Task.WhenAll(producers).WaitAsync(RunLimit);
    }

    private static List<TestEvent> Drain(DropHeadMessageQueue queue)
    {
        var dequeued = new List<TestEvent>();
        while (queue.TryDequeue(out var envelope))
        {
            dequeued.Add((TestEvent)envelope.Message);
        }

        return dequeued;
    }

    private static long SumOfSizes(IEnumerable<TestEvent> events) => events.Sum(e => (long)e.SizeInBytes);

    private static void AssertEveryEventAccountedOnce(DropHeadMessageQueue queue, List<TestEvent> dequeued)
    {
        var runs = queue.Drops.TakeAll();
        Assert.Equal(runs.Sum(r => r.Count), queue.Drops.TotalDropped);
        Assert.Equal((long)Producers * EventsPerProducer, dequeued.Count + queue.Drops.TotalDropped);
        Assert.True(queue.Drops.TotalDropped > 0, "The run never overflowed the queue: it tested nothing.");

        for (var p = 0; p < Producers; p++)
        {
            var topic = $"p{p}";
            var taken = dequeued.Where(e => e.Topic == topic).Select(e => e.Seq).ToList();
            Assert.Equal(taken.Order(), taken);

            var dropped = runs.Where(r => r.Topic == topic).ToList();
            for (var i = 1; i < dropped.Count; i++)
            {
                Assert.True(dropped[i].FromSeq > dropped[i - 1].ToSeq + 1, $"Runs of {topic} overlap, touch or go back: {dropped[i - 1]} then {dropped[i]}.");
            }

            var covered = taken.Concat(dropped.SelectMany(r => LongRange(r.FromSeq, r.ToSeq))).Order().ToList();
            Assert.Equal(LongRange(1, EventsPerProducer), covered);
        }
    }

    private static IEnumerable<long> LongRange(long from, long to)
    {
        for (var seq = from; seq <= to; seq++)
        {
            yield return seq;
        }
    }
}
