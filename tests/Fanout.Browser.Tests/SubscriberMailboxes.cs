using Akka.Actor;
using Fanout.Mailbox;

namespace Fanout.Browser.Tests;

/// <summary>
/// Reads the drop-head mailboxes of a node's subscriber actors (children of /user named
/// subscriber-N) in this process, so a test can wait until a stalled subscriber really dropped.
/// </summary>
public static class SubscriberMailboxes
{
    public static long TotalDropped(ActorSystem system)
    {
        var guardian = (ActorRefWithCell)((ExtendedActorSystem)system).Guardian;
        long dropped = 0;
        foreach (var child in guardian.Children)
        {
            if (child.Path.Name.StartsWith("subscriber-", StringComparison.Ordinal)
                && child is ActorRefWithCell { Underlying: ActorCell cell }
                && cell.Mailbox?.MessageQueue is DropHeadMessageQueue queue)
            {
                dropped += queue.Drops.TotalDropped;
            }
        }

        return dropped;
    }
}
