using Akka.Streams;
using Akka.Streams.Dsl;
using Fanout.Diagnostics;
using Fanout.Hosting;
using Fanout.Sse;
using Fanout.Subscribers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Fanout.AspNetCore.Http;

/// <summary>
/// Runs a subscription's frame batches into an HTTP response through <see cref="SseResponseSink"/>:
/// one flush per batch. A flush that makes no progress within the write timeout, a failed
/// write or the client going away ends the stream, which stops the subscriber actor. Each
/// successful flush is timed (<c>fanout.sse.write.duration</c>) and marked on the
/// subscriber's status (its last successful write).
/// </summary>
public static class SseResponseWriter
{
    public static void PrepareResponse(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = Fanout.Protocol.FanoutPaths.EventStreamMediaType;
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

    /// <summary>
    /// Runs <paramref name="request"/>'s subscription of <paramref name="hub"/> into the response
    /// (prepared with <see cref="PrepareResponse"/>) until the client goes, the stream ends or
    /// <paramref name="end"/> (e.g. the token's expiry) fires; every endpoint that streams uses this.
    /// </summary>
    public static Task RunAsync(FanoutHub hub, SubscriptionRequest request, HttpContext context, CancellationToken end) =>
        RunAsync(
            hub.SubscribeBatches(request),
            context,
            hub.Materializer,
            TimeSpan.FromSeconds(Math.Max(1, hub.Options.Subscriber.WriteTimeoutSeconds)),
            hub.Metrics,
            end);

    public static async Task RunAsync(
        Source<SseFrameBatch, SubscriberStatus> frames,
        HttpContext context,
        IMaterializer materializer,
        TimeSpan writeTimeout,
        FanoutMetrics metrics,
        CancellationToken end = default)
    {
        // The status is known once the stream materialized; the first flush (the connected
        // frame) can come before that on a busy machine. Its mark is then left pending and
        // made here: each side sets its own flag and then reads the other's, so at least one
        // sees both (both may, and marking twice is harmless).
        SubscriberStatus? status = null;
        var markPending = 0;
        var sink = new SseResponseSink(
            context.Response.BodyWriter,
            writeTimeout,
            elapsed =>
            {
                metrics.SseWrite(elapsed);
                if (Volatile.Read(ref status) is { } known)
                {
                    known.MarkWritten();
                    return;
                }

                Interlocked.Exchange(ref markPending, 1);
                Volatile.Read(ref status)?.MarkWritten();
            },
            context.RequestAborted,
            end);

        var (subscriber, ended) = frames.ToMaterialized(sink, Keep.Both).Run(materializer);
        Volatile.Write(ref status, subscriber);
        if (Interlocked.Exchange(ref markPending, 0) == 1)
        {
            subscriber.MarkWritten();
        }

        bool connectionGone;
        try
        {
            connectionGone = await ended;
        }
        catch (Exception ex) when (SseResponseSink.EndsTheConnection(ex))
        {
            connectionGone = true;
        }

        if (connectionGone)
        {
            // The connection is dead or stuck, or closed on purpose: make sure Kestrel lets it go.
            context.Abort();
        }
    }
}
