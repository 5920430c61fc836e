using System.Threading.Channels;
using Akka.Streams;
using Fanout.Sse;

namespace Fanout.Streaming;

/// <summary>
/// The subscriber actor's end of its stream: where it writes frames (bounded; a full
/// channel means the client is behind), a task that completes when the stream has stopped
/// (client gone, write failed, closed), and the switch that ends the stream at once, even
/// while the client is stalled.
/// </summary>
public sealed record SubscriberStream(ChannelWriter<SseFrame> Frames, Task Terminated, IKillSwitch Closer);
