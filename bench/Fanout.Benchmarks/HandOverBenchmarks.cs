using Akka.Actor;
using Akka.Configuration;
using Akka.Streams.Dsl;
using BenchmarkDotNet.Attributes;
using Fanout.Hosting;
using Fanout.Publishing;
using Fanout.Sse;
using Fanout.Subscribers;
using Fanout.Topics;

namespace Fanout.Benchmarks;

/// <summary>
/// The hand-over from a subscriber to its stream without HTTP: NodePublisher → the real
/// <see cref="SubscriberActor"/> on its drop-head mailbox → <c>SubscriberSource</c> → a sink
/// that counts frames, for every subscriber of one topic. The stream actors run on the
/// dispatcher under test: the thread pool (a work item per wake-up, the node's setting) or
/// inline on the subscriber actor's thread (<see cref="InlineDispatcherConfigurator"/>, an
/// experiment that did not pay end to end).
/// Events are told at a pace that lets each be handed over alone, as at a low rate: the
/// stream is waiting when its frame arrives.
/// </summary>
public class HandOverBenchmarks
{
    private const string Topic = "bench";
    private const string Epoch = "bench0000epoch";
    private const int EventsPerInvoke = 100;

    private ActorSystem _system = null!;
    private IActorRef _publisher = ActorRefs.Nobody;
    private Countdown _frames = null!;
    private byte[] _data = [];
    private long _seq;

    [Params(200)]
    public int Subscribers { get; set; }

    [Params("thread-pool", "inline")]
    public string StreamDispatcher { get; set; } = "inline";

    [GlobalSetup]
    public void Setup()
    {
        var dispatcher = StreamDispatcher == "inline"
            ? FanoutHub.StreamDispatcher + " { type = \"" + typeof(InlineDispatcherConfigurator).AssemblyQualifiedName + "\" }"
            : "";
        var config = ConfigurationFactory.ParseString(dispatcher + "\nakka.loglevel = WARNING\nakka.actor.provider = cluster\nakka.remote.dot-netty.tcp.port = 0\nakka.remote.dot-netty.tcp.hostname = 127.0.0.1")
            .WithFallback(ConfigurationFactory.ParseString(FanoutAkkaExtensions.MailboxHocon(new SubscriberOptions())));
        _system = ActorSystem.Create("bench", config);
        var topics = _system.ActorOf(Props.Create(() => new TopicStateStub(Epoch)), "topics");
        var mediator = _system.ActorOf(Props.Create(() => new IgnoringActor()), "mediator");
        _publisher = _system.ActorOf(NodePublisher.Props(mediator, topics, new PublisherOptions(), 256 * 1024), NodePublisher.Name);
        var options = new FanoutOptions();
        options.Subscriber.HeartbeatSeconds = 0;
        var hub = new FanoutHub(_system, topics, _publisher, options);
        _frames = new Countdown();

        var connected = _frames.Expect(Subscribers);
        for (var i = 0; i < Subscribers; i++)
        {
            hub.SubscribeBatches(new SubscriptionRequest([Topic], null))
                .RunWith(Sink.ForEach<SseFrameBatch>(batch => _frames.Add(batch.Count)), hub.Materializer);
        }

        connected.Wait(TimeSpan.FromSeconds(60));
        _data = System.Text.Encoding.UTF8.GetBytes("\"" + new string('x', 510) + "\"");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Benchmark(Description = "100 events, one at a time: NodePublisher -> subscriber actors -> stream frames")]
    public async Task HandOverOneByOne()
    {
        for (var i = 0; i < EventsPerInvoke; i++)
        {
            var delivered = _frames.Expect(Subscribers);
            var seq = ++_seq;
            _publisher.Tell(
                new TopicEvent(Topic, Epoch, seq, SseEncoder.IdLine(new TopicPosition(Epoch, seq).ToString()), SseEncoder.EventBody("load", _data)),
                ActorRefs.NoSender);
            await delivered.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }
}
