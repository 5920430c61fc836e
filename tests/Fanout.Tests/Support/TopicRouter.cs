using Akka.Actor;
using Fanout.Hosting;
using Fanout.Topics;

namespace Fanout.Tests.Support;

/// <summary>
/// Stands in for the topic shard region in tests without a cluster: one
/// <see cref="TopicActor"/> child per topic, started by the first command that names it.
/// </summary>
public sealed class TopicRouter : ReceiveActor
{
    public TopicRouter(TopicOptions options, IActorRef mediator)
    {
        Receive<ITopicCommand>(command =>
        {
            var name = Uri.EscapeDataString(command.Topic);
            var topic = Context.Child(name);
            if (topic.IsNobody())
            {
                topic = Context.ActorOf(TopicActor.Props(command.Topic, options, mediator), name);
            }

            topic.Forward(command);
        });
    }

    public static Props Props(TopicOptions options, IActorRef mediator) =>
        Akka.Actor.Props.Create(() => new TopicRouter(options, mediator));
}
