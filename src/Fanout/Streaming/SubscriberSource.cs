using System.Threading.Channels;
using Akka.Streams;
using Akka.Streams.Stage;
using Fanout.Sse;
using Fanout.Subscribers;

namespace Fanout.Streaming;

/// <summary>
/// The stream side of one subscription, as a single stage: the subscriber actor writes
/// frames into a small bounded channel, and on each pull the stage hands downstream every
/// frame that is ready as one <see cref="SseFrameBatch"/>. A frame costs no task and no
/// message on its way; the stage is woken (one async callback) only when it found the
/// channel empty and a frame arrives. Materializing the source starts the subscriber
/// (through <c>start</c>); its status is the materialized value.
/// </summary>
public sealed class SubscriberSource : GraphStageWithMaterializedValue<SourceShape<SseFrameBatch>, SubscriberStatus>
{
    private readonly int _bufferFrames;
    private readonly int _maxBatchBytes;
    private readonly Func<SubscriberStream, SubscriberStatus> _start;

    /// <param name="bufferFrames">Frames the channel holds; a full channel makes the subscriber wait, so its mailbox fills.</param>
    /// <param name="maxBatchBytes">A batch stops growing once it holds this many bytes.</param>
    /// <param name="start">Starts the subscriber that writes into the stream; returns its status.</param>
    public SubscriberSource(int bufferFrames, int maxBatchBytes, Func<SubscriberStream, SubscriberStatus> start)
    {
        _bufferFrames = Math.Max(1, bufferFrames);
        _maxBatchBytes = Math.Max(1, maxBatchBytes);
        _start = start;
        Shape = new SourceShape<SseFrameBatch>(Out);
    }

    public Outlet<SseFrameBatch> Out { get; } = new("subscriber.frames");

    public override SourceShape<SseFrameBatch> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("subscriber");

    public override ILogicAndMaterializedValue<SubscriberStatus> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var logic = new Logic(this);
        return new LogicAndMaterializedValue<SubscriberStatus>(logic, _start(logic.Stream));
    }

    private sealed class Logic : OutGraphStageLogic, IKillSwitch
    {
        private readonly SubscriberSource _stage;
        private readonly ChannelReader<SseFrame> _reader;
        private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Action _framesArrived;
        private readonly Action<Exception?> _close;
        private readonly Action _onReadable;
        private ValueTask<bool> _waiting;
        private volatile bool _stopped;

        public Logic(SubscriberSource stage) : base(stage.Shape)
        {
            _stage = stage;

            // Synchronous continuations are safe here: the only continuation on the reader
            // is the stage's wake-up, a Tell into the stream's interpreter. They save a thread
            // hop per wake-up; the subscriber's own waits resume on its actor scheduler anyway.
            var channel = Channel.CreateBounded<SseFrame>(new BoundedChannelOptions(stage._bufferFrames)
            {
                SingleReader = true,
                // The subscriber actor writes, and the node's heartbeat wheel adds comments.
                SingleWriter = false,
                FullMode = BoundedChannelFullMode.Wait,
                AllowSynchronousContinuations = true,
            });
            _reader = channel.Reader;
            _framesArrived = GetAsyncCallback(OnFramesArrived);
            _close = GetAsyncCallback<Exception?>(OnClose);
            _onReadable = () =>
            {
                if (!_stopped)
                {
                    _framesArrived();
                }
            };
            Stream = new SubscriberStream(channel.Writer, _terminated.Task, this);
            SetHandler(stage.Out, this);
        }

        public SubscriberStream Stream { get; }

        public override void OnPull() => PushOrWait();

        public void Shutdown() => _close(null);

        public void Abort(Exception cause) => _close(cause);

        public override void PostStop()
        {
            _stopped = true;

            // Wakes a subscriber waiting for room in a channel nobody reads any more.
            Stream.Frames.TryComplete();
            _terminated.TrySetResult();
        }

        /// <summary>Pushes every ready frame, or waits for the next one; ends when the subscriber completed the channel.</summary>
        private void PushOrWait()
        {
            while (true)
            {
                if (TryReadBatch() is { } batch)
                {
                    Push(_stage.Out, batch);
                    return;
                }

                _waiting = _reader.WaitToReadAsync();
                if (!_waiting.IsCompleted)
                {
                    _waiting.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onReadable);
                    return;
                }

                if (!ReadableAgain())
                {
                    return;
                }
            }
        }

        private void OnFramesArrived()
        {
            if (ReadableAgain() && IsAvailable(_stage.Out))
            {
                PushOrWait();
            }
        }

        /// <summary>Consumes the finished wait; false (and the stage done) when the channel is complete.</summary>
        private bool ReadableAgain()
        {
            var waited = _waiting;
            _waiting = default;
            try
            {
                if (waited.GetAwaiter().GetResult())
                {
                    return true;
                }

                CompleteStage();
            }
            catch (Exception ex)
            {
                FailStage(ex);
            }

            return false;
        }

        private SseFrameBatch? TryReadBatch()
        {
            var ready = _reader.Count;
            if (ready == 0)
            {
                return null;
            }

            var frames = new SseFrame[ready];
            int count = 0, bytes = 0;
            while (count < ready && bytes < _stage._maxBatchBytes && _reader.TryRead(out var frame))
            {
                frames[count++] = frame;
                bytes += frame.Length;
            }

            return count == 0 ? null : new SseFrameBatch(frames, count, bytes);
        }

        private void OnClose(Exception? cause)
        {
            if (cause is null)
            {
                CompleteStage();
            }
            else
            {
                FailStage(cause);
            }
        }
    }
}
