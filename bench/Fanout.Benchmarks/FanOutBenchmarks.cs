using Akka.Actor;
using Akka.Configuration;
using BenchmarkDotNet.Attributes;
using Fanout.Hosting;
using Fanout.Publishing;
using Fanout.Serialization;
using Fanout.Sse;
using Fanout.Topics;

namespace Fanout.Benchmarks;

/// <summary>
/// The fan-out path of one node without HTTP: encode each event once (id line + body, as
/// the topic does), tell it to the <see cref="NodePublisher"/>, which tells every local
/// subscriber actor on the drop-head mailbox. Measured per delivery (event × subscriber).
/// </summary>
public class FanOutBenchmarks
{
    private const string Topic = "bench";
    private const string Epoch = "bench0000epoch";
    private const int EventsPerInvoke = 500;

    private ActorSystem _system = null!;
    private IActorRef _publisher = ActorRefs.Nobody;
    private Countdown _counter = null!;
    private byte[] _data = [];
    private long _seq;
    private FanoutSerializer _serializer = null!;
    private TopicEvent[] _mates = [];

    [Params(10, 200)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = ConfigurationFactory.ParseString(FanoutAkkaExtensions.MailboxHocon(new SubscriberOptions()))
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        _system = ActorSystem.Create("bench", config);
        var topics = _system.ActorOf(Props.Create(() => new TopicStateStub(Epoch)), "topics");
        var mediator = _system.ActorOf(Props.Create(() => new IgnoringActor()), "mediator");
        _publisher = _system.ActorOf(NodePublisher.Props(mediator, topics, new PublisherOptions(), 256 * 1024), NodePublisher.Name);
        _counter = new Countdown();
        for (var i = 0; i < Subscribers; i++)
        {
            var subscriber = _system.ActorOf(
                Props.Create(() => new CountingSubscriber(_counter)).WithMailbox(FanoutHub.SubscriberMailbox),
                $"subscriber-{i}");
            _publisher.Ask<TopicsSubscribed>(new SubscribeTopics(subscriber, [Topic]), TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }

        _data = System.Text.Encoding.UTF8.GetBytes("\"" + new string('x', 510) + "\"");
        _serializer = new FanoutSerializer((ExtendedActorSystem)_system);
        _mates = Enumerable.Range(0, EventsPerInvoke)
            .Select(i => new TopicEvent($"{Topic}-mate-{i}", Epoch, 1, SseEncoder.IdLine(new TopicPosition(Epoch, 1).ToString()), SseEncoder.EventBody("load", _data)))
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Benchmark(Description = "500 events: encode + NodePublisher -> subscribers")]
    public async Task EncodeAndFanOut()
    {
        var done = _counter.Expect((long)EventsPerInvoke * Subscribers);
        for (var i = 0; i < EventsPerInvoke; i++)
        {
            var seq = ++_seq;
            var evt = new TopicEvent(
                Topic,
                Epoch,
                seq,
                SseEncoder.IdLine(new TopicPosition(Epoch, seq).ToString()),
                SseEncoder.EventBody("load", _data));
            _publisher.Tell(evt, ActorRefs.NoSender);
        }

        await done.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// What a node pays for the events of other topics on a pub-sub channel it holds
    /// (<see cref="TopicChannels"/>): 500 events of topics it feeds no one, then one of its
    /// own topic, whose delivery marks that all were handled.
    /// </summary>
    [Benchmark(Description = "500 events of unfed topics (channel mates) ignored by NodePublisher")]
    public async Task IgnoreChannelMates()
    {
        var done = _counter.Expect(Subscribers);
        for (var i = 0; i < EventsPerInvoke; i++)
        {
            _publisher.Tell(_mates[i], ActorRefs.NoSender);
        }

        var seq = ++_seq;
        _publisher.Tell(new TopicEvent(Topic, Epoch, seq, SseEncoder.IdLine(new TopicPosition(Epoch, seq).ToString()), SseEncoder.EventBody("load", _data)), ActorRefs.NoSender);
        await done.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>The remote hop of an event a node receives, needed or not: serialize and deserialize it.</summary>
    [Benchmark(Description = "500 events: TopicEvent to bytes and back (FanoutSerializer)")]
    public int SerializeRoundTrip()
    {
        var bytes = 0;
        for (var i = 0; i < EventsPerInvoke; i++)
        {
            var wire = _serializer.ToBinary(_mates[i]);
            bytes += wire.Length + ((TopicEvent)_serializer.FromBinary(wire, "E")).Body.Length;
        }

        return bytes;
    }

    [Benchmark(Description = "500 events: encode only (id line + body)")]
    public int EncodeOnly()
    {
        var bytes = 0;
        for (var i = 0; i < EventsPerInvoke; i++)
        {
            bytes += SseEncoder.IdLine(new TopicPosition(Epoch, i).ToString()).Length + SseEncoder.EventBody("load", _data).Length;
        }

        return bytes;
    }

    private sealed class CountingSubscriber : ReceiveActor
    {
        public CountingSubscriber(Countdown counter) => Receive<TopicEvent>(_ => counter.Add());
    }
}
