using Fanout.Mailbox;

namespace Fanout.Tests.Support;

/// <summary>A droppable message of a chosen size, for driving the mailbox without topics.</summary>
public sealed record TestEvent(string Topic, long Seq, int SizeInBytes = 100) : IDroppableMessage;

/// <summary>A message the mailbox does not know: it must be treated as a control message.</summary>
public sealed record ControlNote(string Text);
