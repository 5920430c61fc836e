using System.Buffers;
using System.IO.Pipelines;
using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Dsl;
using Fanout.Diagnostics;
using Fanout.Sse;
using Fanout.Subscribers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Fanout.Server.Http;

/// <summary>
/// Runs a subscription's frames into an HTTP response: frames that are ready together are
/// written as one batch and flushed once. A flush that makes no progress within the write
/// timeout, a failed write or the client going away ends the stream, which stops the
/// subscriber actor. Each successful flush is timed (<c>fanout.sse.write.duration</c>) and
/// marked on the subscriber's status (its last successful write).
/// </summary>
public static class SseResponseWriter
{
    /// <summary>Largest batch written between two flushes.</summary>
    public const int MaxBatchBytes = 64 * 1024;

    public static void PrepareResponse(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // Kestrel's minimum response rate would cut a slow reader after a few seconds;
        // the subscriber's own write timeout (and drop-head mailbox) handles slow readers.
        if (context.Features.Get<IHttpMinResponseDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }
    }

    private static readonly Task<bool> WrittenTask = Task.FromResult(true);
    private static readonly Task<bool> StoppedTask = Task.FromResult(false);

    public static async Task RunAsync(
        Source<SseFrame, SubscriberStatus> frames,
        HttpContext context,
        IMaterializer materializer,
        TimeSpan writeTimeout,
        FanoutMetrics metrics,
        CancellationToken end = default)
    {
        var writer = context.Response.BodyWriter;
        using var flushTimeout = new CancellationTokenSource();

        // Set while the stream materializes, before the subscriber can have offered a frame;
        // should a write still win that race, only its mark is lost, not the write.
        SubscriberStatus? status = null;

        // A healthy socket takes a flush at once: only a flush that has to wait arms the
        // write timeout, so the common path neither allocates nor touches the timer queue.
        // A write that finds the connection gone (or stuck) ends the stream quietly with
        // false: an exception inside SelectAsync would be logged by Akka as an error, and a
        // client leaving is not one.
        var connectionGone = false;

        Task<bool> WriteAsync(List<SseFrame> batch)
        {
            try
            {
                return WriteBatchAsync(batch);
            }
            catch (Exception ex) when (EndsTheConnection(ex))
            {
                connectionGone = true;
                return StoppedTask;
            }
        }

        Task<bool> WriteBatchAsync(List<SseFrame> batch)
        {
            var started = Stopwatch.GetTimestamp();
            foreach (var frame in batch)
            {
                if (frame.Head is { } head)
                {
                    writer.Write(head.AsSpan());
                }

                writer.Write(frame.Body.AsSpan());
            }

            var flush = writer.FlushAsync();
            if (!flush.IsCompletedSuccessfully)
            {
                return AwaitSlowFlushAsync(flush, started);
            }

            Written(flush.Result, started);
            return WrittenTask;
        }

        async Task<bool> AwaitSlowFlushAsync(ValueTask<FlushResult> flush, long started)
        {
            try
            {
                using var onTimeout = flushTimeout.Token.Register(static w => ((PipeWriter)w!).CancelPendingFlush(), writer);
                flushTimeout.CancelAfter(writeTimeout);
                var result = await flush;
                if (result.IsCanceled || !flushTimeout.TryReset())
                {
                    throw new TimeoutException($"No write progress for {writeTimeout.TotalSeconds:0} s.");
                }

                Written(result, started);
                return true;
            }
            catch (Exception ex) when (EndsTheConnection(ex))
            {
                connectionGone = true;
                return false;
            }
        }

        void Written(FlushResult result, long started)
        {
            if (result.IsCompleted)
            {
                throw new IOException("The client closed the response.");
            }

            metrics.SseWrite(Stopwatch.GetElapsedTime(started));
            status?.MarkWritten();
        }

        var (killSwitch, completion) = frames
            .MapMaterializedValue(materialized => status = materialized)
            .ViaMaterialized(KillSwitches.Single<SseFrame>(), Keep.Right)
            .BatchWeighted(
                MaxBatchBytes,
                frame => frame.Length,
                frame => new List<SseFrame>(8) { frame },
                (batch, frame) =>
                {
                    batch.Add(frame);
                    return batch;
                })
            .SelectAsync(1, WriteAsync)
            .TakeWhile(written => written)
            .ToMaterialized(Sink.Ignore<bool>(), Keep.Both)
            .Run(materializer);

        await using var onAbort = context.RequestAborted.Register(() => killSwitch.Shutdown());
        await using var onEnd = end.Register(() => killSwitch.Shutdown());
        try
        {
            await completion;
        }
        catch (Exception ex) when (EndsTheConnection(ex))
        {
            connectionGone = true;
        }

        if (connectionGone)
        {
            // The connection is dead or stuck, or closed on purpose: make sure Kestrel lets it go.
            context.Abort();
        }
    }

    /// <summary>
    /// Whether the stream ended because the connection did (or was closed on purpose).
    /// Akka.Streams fails a materialized task with an <see cref="AggregateException"/>
    /// around the cause, so that is looked through.
    /// </summary>
    private static bool EndsTheConnection(Exception ex) =>
        ex is AggregateException aggregate
            ? aggregate.Flatten().InnerExceptions.All(EndsTheConnection)
            : ex is TimeoutException or IOException or OperationCanceledException or ObjectDisposedException
                or InvalidOperationException or SubscriptionClosedException;
}
