using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;
using Fanout.Mailbox;
using Xunit;

namespace Fanout.Tests.Mailbox;

public sealed class CompactMessageQueueSpec
{
    [Fact]
    public void Messages_leave_in_the_order_they_came_and_the_count_follows()
    {
        var queue = new CompactMessageQueue();
        Assert.False(queue.HasMessages);
        Assert.False(queue.TryDequeue(out _));

        for (var i = 1; i <= 100; i++)
        {
            queue.Enqueue(ActorRefs.Nobody, new Envelope(i, ActorRefs.NoSender));
        }

        Assert.True(queue.HasMessages);
        Assert.Equal(100, queue.Count);
        for (var i = 1; i <= 100; i++)
        {
            Assert.True(queue.TryDequeue(out var envelope));
            Assert.Equal(i, envelope.Message);
            Assert.Equal(100 - i, queue.Count);
        }

        Assert.False(queue.HasMessages);
    }

    [Fact]
    public void Clean_up_hands_what_is_left_to_dead_letters()
    {
        var queue = new CompactMessageQueue();
        queue.Enqueue(ActorRefs.Nobody, new Envelope("a", ActorRefs.NoSender));
        queue.Enqueue(ActorRefs.Nobody, new Envelope("b", ActorRefs.NoSender));
        var deadLetters = new UnboundedMessageQueue();

        queue.CleanUp(ActorRefs.Nobody, deadLetters);

        Assert.Equal(0, queue.Count);
        Assert.Equal(2, deadLetters.Count);
        Assert.True(deadLetters.TryDequeue(out var first));
        Assert.Equal("a", first.Message);
    }

    [Fact]
    public async Task Concurrent_producers_lose_nothing_and_keep_their_own_order()
    {
        const int Producers = 4;
        const int PerProducer = 20_000;
        var queue = new CompactMessageQueue();
        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < PerProducer; i++)
            {
                queue.Enqueue(ActorRefs.Nobody, new Envelope((p, i), ActorRefs.NoSender));
            }
        })).ToArray();

        var last = Enumerable.Repeat(-1, Producers).ToArray();
        var taken = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (taken < Producers * PerProducer && DateTime.UtcNow < deadline)
        {
            if (!queue.TryDequeue(out var envelope))
            {
                await Task.Yield();
                continue;
            }

            var (producer, seq) = ((int, int))envelope.Message;
            Assert.Equal(last[producer] + 1, seq);
            last[producer] = seq;
            taken++;
        }

        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Producers * PerProducer, taken);
        Assert.All(last, seq => Assert.Equal(PerProducer - 1, seq));
    }
}
