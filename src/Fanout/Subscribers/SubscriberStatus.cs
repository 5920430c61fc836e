using System.Security.Cryptography;
using Akka.Streams;
using Fanout.Mailbox;
using Fanout.Publishing;

namespace Fanout.Subscribers;

/// <summary>
/// The live, thread-safe view operators get of one subscription: who it is, what it got,
/// how far behind it is. Read while the subscriber actor may be stalled on a slow client,
/// so nothing here asks the actor: counters are shared, the depth is read from the mailbox.
/// </summary>
public sealed class SubscriberStatus
{
    private readonly IKillSwitch? _closer;
    private long _delivered;
    private long _lastWriteTicks;
    private volatile DropHeadMessageQueue? _mailbox;

    public SubscriberStatus(string id, string node, SubscriptionRequest request, DateTimeOffset connectedAt, IKillSwitch? closer)
    {
        Id = id;
        Node = node;
        Request = request;
        ConnectedAt = connectedAt;
        _closer = closer;
    }

    /// <summary>Unique in the cluster: random, so no node needs to hand out ids.</summary>
    public string Id { get; }

    public string Node { get; }

    public SubscriptionRequest Request { get; }

    public DateTimeOffset ConnectedAt { get; }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Dropped => _mailbox?.Drops.TotalDropped ?? 0;

    public int MailboxDepth => _mailbox?.EventCount ?? 0;

    public DateTimeOffset? LastWriteAt =>
        Interlocked.Read(ref _lastWriteTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Called by whoever writes the stream to the client, after each successful flush.</summary>
    public void MarkWritten() => Interlocked.Exchange(ref _lastWriteTicks, DateTime.UtcNow.Ticks);

    /// <summary>
    /// Ends the subscription now, even while its client is stalled: the stream fails with
    /// <see cref="SubscriptionClosedException"/> toward the client and is cancelled toward
    /// the subscriber actor, which stops. A status made without a kill switch cannot close.
    /// </summary>
    public void Close(string reason) => _closer?.Abort(new SubscriptionClosedException(reason));

    public SubscriberInfo Snapshot() =>
        new(Id, Node, Request.Topics, Request.RemoteAddress, Request.UserAgent, ConnectedAt, Delivered, Dropped, MailboxDepth, LastWriteAt);

    internal void AttachMailbox(DropHeadMessageQueue? mailbox) => _mailbox = mailbox;

    internal void CountDelivered() => Interlocked.Increment(ref _delivered);
}
