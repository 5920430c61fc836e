using System.Buffers;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Fanout.Sse;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Fanout.Server.Http;

/// <summary>
/// Runs a subscription's frames into an HTTP response: frames that are ready together are
/// written as one batch and flushed once. A flush that makes no progress within the write
/// timeout, a failed write or the client going away ends the stream, which stops the
/// subscriber actor.
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

    public static async Task RunAsync(
        Source<SseFrame, NotUsed> frames,
        HttpContext context,
        IMaterializer materializer,
        TimeSpan writeTimeout)
    {
        var writer = context.Response.BodyWriter;
        using var flushTimeout = new CancellationTokenSource();

        async Task<NotUsed> WriteAsync(List<SseFrame> batch)
        {
            foreach (var frame in batch)
            {
                if (frame.Head is { } head)
                {
                    writer.Write(head.AsSpan());
                }

                writer.Write(frame.Body.AsSpan());
            }

            flushTimeout.CancelAfter(writeTimeout);
            var result = await writer.FlushAsync(flushTimeout.Token);
            if (result.IsCanceled)
            {
                throw new TimeoutException($"No write progress for {writeTimeout.TotalSeconds:0} s.");
            }

            if (result.IsCompleted || !flushTimeout.TryReset())
            {
                throw new IOException("The client closed the response.");
            }

            return NotUsed.Instance;
        }

        var (killSwitch, completion) = frames
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
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Both)
            .Run(materializer);

        await using var onAbort = context.RequestAborted.Register(() => killSwitch.Shutdown());
        try
        {
            await completion;
        }
        catch (Exception ex) when (IsConnectionGone(ex))
        {
            // The connection is dead or stuck: make sure Kestrel lets it go.
            context.Abort();
        }
    }

    /// <summary>
    /// A failed write surfaces wrapped in an <see cref="AggregateException"/> (the stream
    /// fails with the faulted write task's exception), so look inside it.
    /// </summary>
    private static bool IsConnectionGone(Exception ex) => ex switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsConnectionGone),
        TimeoutException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException => true,
        _ => false,
    };
}
