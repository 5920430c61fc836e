using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;
using Fanout.Hosting;
using Fanout.Mailbox;
using Fanout.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Fanout.Tests.Mailbox;

public sealed class DropHeadMailboxSpec : Akka.TestKit.Xunit2.TestKit
{
    private const int MaxEvents = 8;
    private const long MaxBytes = 4096;

    public DropHeadMailboxSpec(ITestOutputHelper output)
        : base(Config(), output: output)
    {
    }

    [Fact]
    public void Actor_on_the_subscriber_mailbox_gets_a_drop_head_queue_with_the_configured_bounds()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SlowSubscriber(TestActor)).WithMailbox(FanoutHub.SubscriberMailbox));

        actor.Tell(WhichQueue.Instance);

        var queue = ExpectMsg<DropHeadMessageQueue>();
        Assert.Equal(MaxEvents, queue.MaxEvents);
        Assert.Equal(MaxBytes, queue.MaxBytes);
    }

    [Fact]
    public void PoisonPill_overtakes_queued_events()
    {
        var (actor, gate) = BusySubscriberWithQueuedEvents(20);

        actor.Tell(PoisonPill.Instance);
        Watch(actor);
        gate.SetResult();

        // PoisonPill is a control message: it passes the queued events, which die with the
        // actor, so no event is reported before the actor's end.
        Assert.Equal(actor, ExpectMsg<Terminated>().ActorRef);
    }

    [Fact]
    public void Events_queued_while_the_actor_is_busy_are_bounded_by_dropping_the_oldest()
    {
        var (actor, gate) = BusySubscriberWithQueuedEvents(20);

        gate.SetResult();

        for (var seq = 13; seq <= 20; seq++)
        {
            Assert.Equal(seq, ExpectMsg<TestEvent>().Seq);
        }

        actor.Tell(TakeDrops.Instance);
        Assert.Equal([new SeqRange("t", 1, 12)], ExpectMsg<IReadOnlyList<SeqRange>>());
    }

    [Fact]
    public void Mailbox_type_reads_both_bounds_from_its_section()
    {
        var mailbox = new DropHeadMailbox(Sys.Settings, MailboxSection("fanout.subscriber-mailbox"));

        Assert.Equal(MaxEvents, mailbox.MaxEvents);
        Assert.Equal(MaxBytes, mailbox.MaxBytes);
    }

    [Theory]
    [InlineData("fanout.without-max-events")]
    [InlineData("fanout.without-max-bytes")]
    [InlineData("fanout.without-bounds")]
    [InlineData("fanout.zero-events")]
    [InlineData("fanout.negative-bytes")]
    public void Mailbox_section_without_usable_bounds_is_refused(string section)
    {
        // A missing key must not be read through the default-mailbox fallback (whose
        // bounded-mailbox capacity is 1000): it is a configuration error.
        Assert.Throws<ConfigurationException>(() => new DropHeadMailbox(Sys.Settings, MailboxSection(section)));
    }

    [Fact]
    public void Actor_cannot_be_created_on_a_mailbox_section_without_bounds()
    {
        var error = Assert.ThrowsAny<Exception>(() =>
            Sys.ActorOf(Props.Create(() => new SlowSubscriber(TestActor)).WithMailbox("fanout.without-max-bytes")));

        Assert.Contains(DropHeadMailbox.MaxBytesKey, Flatten(error));
    }

    /// <summary>The section as Akka hands it to a mailbox type: with default-mailbox as fallback.</summary>
    /// <summary>A subscriber held busy in a handler while <paramref name="events"/> events (seq 1…) queue in its mailbox; releasing the gate lets it go on.</summary>
    private (IActorRef Actor, TaskCompletionSource Gate) BusySubscriberWithQueuedEvents(int events)
    {
        var actor = Sys.ActorOf(Props.Create(() => new SlowSubscriber(TestActor)).WithMailbox(FanoutHub.SubscriberMailbox));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        actor.Tell(new Hold(gate));
        ExpectMsg<Held>();

        for (var seq = 1; seq <= events; seq++)
        {
            actor.Tell(new TestEvent("t", seq, 10));
        }

        return (actor, gate);
    }

    private Config MailboxSection(string path) =>
        Sys.Settings.Config.GetConfig(path).WithFallback(Sys.Settings.Config.GetConfig("akka.actor.default-mailbox"));

    private static string Flatten(Exception error)
    {
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" | ", messages);
    }

    private static Config Config()
    {
        var options = new SubscriberOptions { MaxEvents = MaxEvents, MaxBytes = MaxBytes };
        return ConfigurationFactory.ParseString(FanoutAkkaExtensions.MailboxHocon(options) + """

            fanout.without-max-events {
              mailbox-type = "Fanout.Mailbox.DropHeadMailbox, Fanout"
              max-bytes = 4096
            }
            fanout.without-max-bytes {
              mailbox-type = "Fanout.Mailbox.DropHeadMailbox, Fanout"
              max-events = 8
            }
            fanout.without-bounds {
              mailbox-type = "Fanout.Mailbox.DropHeadMailbox, Fanout"
            }
            fanout.zero-events {
              mailbox-type = "Fanout.Mailbox.DropHeadMailbox, Fanout"
              max-events = 0
              max-bytes = 4096
            }
            fanout.negative-bytes {
              mailbox-type = "Fanout.Mailbox.DropHeadMailbox, Fanout"
              max-events = 8
              max-bytes = -1
            }
            """);
    }

    private sealed record Hold(TaskCompletionSource Gate);

    private sealed record Held
    {
        public static readonly Held Instance = new();
    }

    private sealed record WhichQueue
    {
        public static readonly WhichQueue Instance = new();
    }

    private sealed record TakeDrops
    {
        public static readonly TakeDrops Instance = new();
    }

    /// <summary>Reports every event it gets; on <see cref="Hold"/> it stops taking messages until the gate opens.</summary>
    private sealed class SlowSubscriber : ReceiveActor
    {
        public SlowSubscriber(IActorRef reportTo)
        {
            Receive<Hold>(hold =>
            {
                reportTo.Tell(Held.Instance);
                ActorTaskScheduler.RunTask(() => hold.Gate.Task);
            });
            Receive<TestEvent>(evt => reportTo.Tell(evt));
            Receive<WhichQueue>(_ => Sender.Tell(Queue));
            Receive<TakeDrops>(_ => Sender.Tell(((DropHeadMessageQueue)Queue).Drops.TakeAll()));
        }

        private static IMessageQueue Queue => ((ActorCell)Context).Mailbox!.MessageQueue;
    }
}
