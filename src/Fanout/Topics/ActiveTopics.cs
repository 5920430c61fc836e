using Akka.Actor;

namespace Fanout.Topics;

/// <summary>
/// The live topic actors of one node, least recently used first. A topic touches it on
/// every publish and read; when more than the limit are live, the least recently used one
/// is told to passivate (<see cref="PassivateTopic"/>). Akka.NET's sharding has only idle
/// passivation, so the bound is kept here. Shared by the topic actors of one node, hence
/// the lock: each touch is a dictionary look-up and a list move.
/// </summary>
public sealed class ActiveTopics
{
    private readonly int _limit;
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Topic, IActorRef Actor)>> _nodes = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Topic, IActorRef Actor)> _byRecency = new();

    /// <param name="limit">Most live topics; 0 or less: no bound.</param>
    public ActiveTopics(int limit) => _limit = limit;

    /// <summary>No bound: nothing is ever passivated for being least recently used.</summary>
    public static ActiveTopics Unbounded => new(0);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Count;
            }
        }
    }

    /// <summary>Marks <paramref name="topic"/> as just used and passivates the least recently used one past the limit.</summary>
    public void Touch(string topic, IActorRef actor)
    {
        if (_limit <= 0)
        {
            return;
        }

        IActorRef? evicted = null;
        lock (_gate)
        {
            if (_nodes.TryGetValue(topic, out var node))
            {
                if (!node.Value.Actor.Equals(actor))
                {
                    node.Value = (topic, actor);
                }

                if (node != _byRecency.First)
                {
                    _byRecency.Remove(node);
                    _byRecency.AddFirst(node);
                }
            }
            else
            {
                _nodes[topic] = _byRecency.AddFirst((topic, actor));
                if (_nodes.Count > _limit)
                {
                    var last = _byRecency.Last!;
                    _byRecency.RemoveLast();
                    _nodes.Remove(last.Value.Topic);
                    evicted = last.Value.Actor;
                }
            }
        }

        evicted?.Tell(PassivateTopic.Instance, ActorRefs.NoSender);
    }

    /// <summary>A topic actor stopped: forget it (unless a newer incarnation took its place).</summary>
    public void Remove(string topic, IActorRef actor)
    {
        if (_limit <= 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_nodes.TryGetValue(topic, out var node) && node.Value.Actor.Equals(actor))
            {
                _nodes.Remove(topic);
                _byRecency.Remove(node);
            }
        }
    }
}
