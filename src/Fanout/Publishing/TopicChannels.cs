using System.IO.Hashing;
using System.Text;

namespace Fanout.Publishing;

/// <summary>
/// The pub-sub channels that carry topics' events to the nodes: a fixed set of
/// <see cref="Count"/>, each topic on the one its name hashes to. Fixed rather than one per
/// topic because Akka's pub-sub mediator keeps a few cached strings for every channel it was
/// ever asked to publish on and frees them only when a local subscription to that channel
/// ends: one channel per topic grew a node by ≈ 0.9 KiB for every distinct topic it hosted.
/// The price: a node subscribed to a channel also receives the events of the channel's
/// other topics and drops them (<see cref="NodePublisher"/> keeps no feed for them).
/// </summary>
/// <remarks>
/// Every node and every process must map a topic to the same channel, so the hash is
/// XxHash32 (seed 0) of the name's UTF-8 bytes, never <see cref="string.GetHashCode()"/>
/// (randomised per process), and <see cref="Count"/> is a constant, not a setting a node
/// could differ in.
/// </remarks>
public static class TopicChannels
{
    /// <summary>How many channels there are. Changing it changes every topic's channel: all nodes must run the same value.</summary>
    public const int Count = 1024;

    private const int StackBytes = 1024;

    private static readonly string[] Names = Enumerable.Range(0, Count).Select(i => "fanout/channel-" + i).ToArray();

    /// <summary>The channel a topic's events travel on.</summary>
    public static string Of(string topic) => Names[IndexOf(topic)];

    /// <summary>The number, 0 to <see cref="Count"/> − 1, of the topic's channel.</summary>
    public static int IndexOf(string topic)
    {
        // Topic names are at most 200 characters: their bytes fit on the stack.
        var length = Encoding.UTF8.GetMaxByteCount(topic.Length);
        Span<byte> buffer = length <= StackBytes ? stackalloc byte[StackBytes] : new byte[length];
        var written = Encoding.UTF8.GetBytes(topic, buffer);
        return (int)(XxHash32.HashToUInt32(buffer[..written]) % Count);
    }
}
