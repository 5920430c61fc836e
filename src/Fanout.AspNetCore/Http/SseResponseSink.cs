using System.Diagnostics;
using System.Buffers;
using System.IO.Pipelines;
using Akka.Streams;
using Akka.Streams.Stage;
using Fanout.Sse;
using Fanout.Subscribers;

namespace Fanout.AspNetCore.Http;

/// <summary>
/// Writes batches of SSE frames into a response body, one flush per batch, and pulls the
/// next batch only once the flush is done: a slow client backpressures the subscriber.
/// A flush that makes no progress within the write timeout, a failed write or the client
/// going away ends the stream and the connection; <c>stop</c> (e.g. the token's expiry)
/// ends the stream and lets the response end normally. The materialized task tells
/// whether the connection is to be aborted (true: dead, stuck or closed on purpose) or
/// may end normally (false: the subscription completed or was stopped).
/// </summary>
public sealed class SseResponseSink : GraphStageWithMaterializedValue<SinkShape<SseFrameBatch>, Task<bool>>
{
    private readonly PipeWriter _body;
    private readonly TimeSpan _writeTimeout;
    private readonly Action<TimeSpan> _written;
    private readonly CancellationToken _requestAborted;
    private readonly CancellationToken _stop;

    /// <param name="body">The response body the frames are written to.</param>
    /// <param name="writeTimeout">How long one flush may wait for the client before the connection counts as stuck.</param>
    /// <param name="written">Called after each successful flush with how long the write took.</param>
    /// <param name="requestAborted">The client going away: ends the stream and the connection.</param>
    /// <param name="stop">Ends the stream and lets the response end normally (e.g. the token's expiry).</param>
    public SseResponseSink(PipeWriter body, TimeSpan writeTimeout, Action<TimeSpan> written, CancellationToken requestAborted, CancellationToken stop)
    {
        _body = body;
        _writeTimeout = writeTimeout;
        _written = written;
        _requestAborted = requestAborted;
        _stop = stop;
        Shape = new SinkShape<SseFrameBatch>(In);
    }

    public Inlet<SseFrameBatch> In { get; } = new("sse.response");

    public override SinkShape<SseFrameBatch> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("sse-response");

    public override ILogicAndMaterializedValue<Task<bool>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var logic = new Logic(this);
        return new LogicAndMaterializedValue<Task<bool>>(logic, logic.Ended);
    }

    /// <summary>
    /// Whether an exception means the connection ended (or was closed on purpose) rather
    /// than a fault: such endings abort the connection quietly.
    /// </summary>
    public static bool EndsTheConnection(Exception ex) =>
        ex is AggregateException aggregate
            ? aggregate.Flatten().InnerExceptions.All(EndsTheConnection)
            : ex is TimeoutException or IOException or OperationCanceledException or ObjectDisposedException
                or InvalidOperationException or SubscriptionClosedException;

    private sealed class Logic : InGraphStageLogic
    {
        private readonly SseResponseSink _stage;
        private readonly PipeWriter _body;
        private readonly TaskCompletionSource<bool> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Action _flushDone;
        private readonly Action _onFlushDone;
        private readonly Action _clientGone;
        private readonly Action _stopNow;
        private CancellationTokenSource? _flushTimeout;
        private CancellationTokenRegistration _onAborted;
        private CancellationTokenRegistration _onStop;
        private ValueTask<FlushResult> _flush;
        private long _flushStarted;
        private volatile bool _stopped;

        public Logic(SseResponseSink stage) : base(stage.Shape)
        {
            _stage = stage;
            _body = stage._body;
            _flushDone = GetAsyncCallback(OnFlushDone);
            _onFlushDone = () =>
            {
                if (!_stopped)
                {
                    _flushDone();
                }
            };
            _clientGone = GetAsyncCallback(() => End(connectionGone: true));
            _stopNow = GetAsyncCallback(() => End(connectionGone: false));
            SetHandler(stage.In, this);
        }

        public Task<bool> Ended => _ended.Task;

        public override void PreStart()
        {
            _onAborted = _stage._requestAborted.UnsafeRegister(static s => ((Logic)s!)._clientGone(), this);
            _onStop = _stage._stop.UnsafeRegister(static s => ((Logic)s!)._stopNow(), this);
            Pull(_stage.In);
        }

        public override void OnPush()
        {
            var batch = Grab(_stage.In);
            try
            {
                _flushStarted = Stopwatch.GetTimestamp();
                foreach (var frame in batch.Frames)
                {
                    if (frame.Head is { } head)
                    {
                        _body.Write(head.AsSpan());
                    }

                    _body.Write(frame.Body.AsSpan());
                }

                _flush = _body.FlushAsync();
                if (_flush.IsCompleted)
                {
                    Flushed(timedOut: false);
                    return;
                }

                // A healthy socket takes a flush at once: only a flush that has to wait arms
                // the write timeout, so the common path neither allocates nor touches the timer queue.
                ArmFlushTimeout();
                _flush.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onFlushDone);
            }
            catch (Exception ex) when (EndsTheConnection(ex))
            {
                End(connectionGone: true);
            }
        }

        public override void OnUpstreamFinish() => End(connectionGone: false);

        public override void OnUpstreamFailure(Exception e)
        {
            if (EndsTheConnection(e))
            {
                End(connectionGone: true);
                return;
            }

            _ended.TrySetException(e);
            FailStage(e);
        }

        public override void PostStop()
        {
            _stopped = true;
            _onAborted.Dispose();
            _onStop.Dispose();
            _flushTimeout?.Dispose();
            _ended.TrySetResult(true);
        }

        private void ArmFlushTimeout()
        {
            if (_flushTimeout is null)
            {
                _flushTimeout = new CancellationTokenSource();
                _flushTimeout.Token.UnsafeRegister(static body => ((PipeWriter)body!).CancelPendingFlush(), _body);
            }

            _flushTimeout.CancelAfter(_stage._writeTimeout);
        }

        private void OnFlushDone()
        {
            // TryReset fails once the timeout has fired: the flush was cancelled by it.
            var timedOut = _flushTimeout is { } timeout && !timeout.TryReset();
            try
            {
                Flushed(timedOut);
            }
            catch (Exception ex) when (EndsTheConnection(ex))
            {
                End(connectionGone: true);
            }
        }

        private void Flushed(bool timedOut)
        {
            var result = _flush.GetAwaiter().GetResult();
            _flush = default;
            if (timedOut || result.IsCanceled || result.IsCompleted)
            {
                // Stuck for the whole write timeout, or the client closed the response.
                End(connectionGone: true);
                return;
            }

            _stage._written(Stopwatch.GetElapsedTime(_flushStarted));
            Pull(_stage.In);
        }

        private void End(bool connectionGone)
        {
            _ended.TrySetResult(connectionGone);
            CompleteStage();
        }
    }
}
