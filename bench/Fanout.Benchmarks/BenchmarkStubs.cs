using Akka.Actor;
using Fanout.Topics;

namespace Fanout.Benchmarks;

/// <summary>Completes when the number of things expected (deliveries, frames) has arrived, from any thread.</summary>
internal sealed class Countdown
{
    private long _remaining;
    private TaskCompletionSource _done = new();

    public Task Expect(long count)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _remaining, count);
        return _done.Task;
    }

    public void Add(long arrived = 1)
    {
        if (Interlocked.Add(ref _remaining, -arrived) == 0)
        {
            _done.TrySetResult();
        }
    }
}

/// <summary>Answers the publisher's state polls with a fixed epoch and no events, so subscribers attach with nothing to replay and the publisher never repairs.</summary>
internal sealed class TopicStateStub : ReceiveActor
{
    public TopicStateStub(string epoch) =>
        Receive<GetTopicState>(get => Sender.Tell(new TopicState(get.Topic, epoch, 0, 1, 0, 0)));
}

/// <summary>Stands in for the pub-sub mediator: takes every message, does nothing.</summary>
internal sealed class IgnoringActor : ReceiveActor
{
    public IgnoringActor() => ReceiveAny(_ => { });
}
