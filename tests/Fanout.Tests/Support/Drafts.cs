using System.Text;
using Fanout.Topics;

namespace Fanout.Tests.Support;

/// <summary>Event drafts whose data names their position, so a test can tell them apart on the wire.</summary>
public static class Drafts
{
    public const string Type = "test.event";

    public static EventDraft Numbered(int n, string? key = null) =>
        new(Type, Encoding.UTF8.GetBytes($"{{\"n\":{n}}}"), key);

    public static EventDraft[] Range(int first, int count) =>
        Enumerable.Range(first, count).Select(n => Numbered(n)).ToArray();
}
