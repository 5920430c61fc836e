using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Fanout.Mailbox;

/// <summary>
/// Mailbox type for subscriber actors: bounded by <c>max-events</c> and <c>max-bytes</c>,
/// dropping the oldest event when either bound is passed. Configure it in HOCON:
/// <code>
/// fanout.subscriber-mailbox {
///   mailbox-type = "Fanout.Mailbox.DropHeadMailbox, Fanout"
///   max-events = 1024
///   max-bytes = 2097152
/// }
/// </code>
/// </summary>
/// <remarks>
/// Both keys are required: a mailbox section falls back to <c>akka.actor.default-mailbox</c>,
/// so reading a key it does not set would silently give someone else's default.
/// </remarks>
public sealed class DropHeadMailbox : MailboxType, IProducesMessageQueue<DropHeadMessageQueue>
{
    public const string MaxEventsKey = "max-events";
    public const string MaxBytesKey = "max-bytes";

    public DropHeadMailbox(Settings settings, Config config)
        : base(settings, config)
    {
        if (!config.HasPath(MaxEventsKey) || !config.HasPath(MaxBytesKey))
        {
            throw new ConfigurationException(
                $"DropHeadMailbox needs both '{MaxEventsKey}' and '{MaxBytesKey}' in its mailbox section.");
        }

        MaxEvents = config.GetInt(MaxEventsKey);
        MaxBytes = config.GetLong(MaxBytesKey);
        if (MaxEvents < 1 || MaxBytes < 1)
        {
            throw new ConfigurationException(
                $"DropHeadMailbox bounds must be positive, got {MaxEventsKey}={MaxEvents}, {MaxBytesKey}={MaxBytes}.");
        }
    }

    public int MaxEvents { get; }

    public long MaxBytes { get; }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) =>
        new DropHeadMessageQueue(MaxEvents, MaxBytes);
}
