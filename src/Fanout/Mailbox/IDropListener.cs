namespace Fanout.Mailbox;

/// <summary>
/// Told of each event a <see cref="DropLedger"/> records, at the moment it is dropped, on the
/// thread that enqueued the event that pushed it out (the mailbox's owner may be stalled).
/// Must be cheap and thread-safe; it runs under the mailbox's drop lock.
/// </summary>
public interface IDropListener
{
    void OnDropped(IDroppableMessage dropped, long totalDropped);
}
