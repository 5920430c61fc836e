namespace Fanout.Mailbox;

/// <summary>
/// A message the <see cref="DropHeadMailbox"/> may discard when the mailbox is full.
/// Everything that does not implement this is a control message and is never dropped.
/// </summary>
public interface IDroppableMessage
{
    string Topic { get; }

    long Seq { get; }

    /// <summary>What the message costs against the mailbox's byte bound.</summary>
    int SizeInBytes { get; }
}
