namespace Fanout.Mailbox;

/// <summary>An inclusive run of sequence numbers of one topic.</summary>
public readonly record struct SeqRange(string Topic, long FromSeq, long ToSeq)
{
    public long Count => ToSeq - FromSeq + 1;
}
