using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Fanout.Protocol;

namespace Fanout.Client;

/// <summary>
/// One logical subscription over as many connections as it takes: it keeps the last cursor
/// the node handed out (the connected frame's, each event's, each reset's) and reopens with
/// it as <c>Last-Event-ID</c>, so the node replays exactly what the dropped connection missed.
/// </summary>
internal sealed class Subscription(Func<HttpClient> http, Uri requestUri, IReadOnlyList<string> topics, FanoutClientOptions options)
{
    public async IAsyncEnumerable<FanoutEvent> ReadAsync(string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var retry = options.ReconnectDelay;
        var failures = 0;

        // Runs until cancelled; each pass is one connection. Passes that fail to open are
        // bounded by MaxReconnectAttempts in a row, and every pass waits before the next.
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var opened = await OpenAsync(cursor, cancellationToken);
            if (opened.Connection is not { } connection)
            {
                failures++;
                if (opened.Fatal || failures >= options.MaxReconnectAttempts)
                {
                    throw opened.Error!;
                }

                await WaitAsync(opened.RetryAfter ?? retry, cancellationToken);
                continue;
            }

            failures = 0;
            var wait = retry;
            await using (connection)
            {
                while (await connection.NextAsync(cancellationToken) is { } item)
                {
                    if (item.EventType == EventNames.Shutdown)
                    {
                        // The node spread its shutdown retry: reconnect (to any node) after it.
                        wait = item.ReconnectionInterval ?? retry;
                        break;
                    }

                    if (item.ReconnectionInterval is { } interval)
                    {
                        retry = interval;
                        wait = interval;
                    }

                    switch (item.EventType)
                    {
                        case EventNames.Connected:
                            cursor = item.EventId is { Length: > 0 } start ? start : cursor;
                            break;
                        case EventNames.Lagged:
                            yield return Marker(FanoutEventKind.Lagged, item, id: null);
                            break;
                        case EventNames.Reset:
                            cursor = item.EventId is { Length: > 0 } resetAt ? resetAt : cursor;
                            yield return Marker(FanoutEventKind.Reset, item, cursor);
                            break;
                        default:
                            cursor = item.EventId is { Length: > 0 } id ? id : cursor;
                            yield return new FanoutEvent(
                                FanoutEventKind.Event, topics.Count == 1 ? topics[0] : null, item.EventType, cursor, item.Data, options.JsonSerializerOptions);
                            break;
                    }
                }
            }

            await WaitAsync(wait, cancellationToken);
        }
    }

    private FanoutEvent Marker(FanoutEventKind kind, SseItem<JsonElement> item, string? id)
    {
        var topic = item.Data.ValueKind == JsonValueKind.Object && item.Data.TryGetProperty("topic", out var named) && named.ValueKind == JsonValueKind.String
            ? named.GetString()
            : null;
        return new FanoutEvent(kind, topic, item.EventType, id, item.Data, options.JsonSerializerOptions);
    }

    /// <summary>Waits <paramref name="delay"/> (bounded, plus up to a fifth more at random, so clients a node let go do not return at once).</summary>
    private Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var bounded = delay < options.MaxReconnectDelay ? delay : options.MaxReconnectDelay;
        var jittered = bounded + TimeSpan.FromTicks((long)(bounded.Ticks * 0.2 * Random.Shared.NextDouble()));
        return Task.Delay(jittered, cancellationToken);
    }

    private async Task<Opening> OpenAsync(string? cursor, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, requestUri);
        request.Headers.Accept.ParseAdd(FanoutPaths.EventStreamMediaType);
        if (cursor is not null)
        {
            request.Headers.TryAddWithoutValidation(FanoutPaths.LastEventIdHeader, cursor);
        }

        // Opening a stream twice delivers nothing twice.
        request.Options.Set(PublishRetry.SafeToRepeat, true);
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        HttpResponseMessage? response = null;
        try
        {
            response = await http().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                var problem = await FanoutProblemException.FromResponseAsync(response, deadline.Token);
                var retryable = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500;
                return Opening.Failed(problem, fatal: !retryable, problem.RetryAfter);
            }

            if (response.Content.Headers.ContentType?.MediaType != FanoutPaths.EventStreamMediaType)
            {
                return Opening.Failed(
                    new FanoutProblemException(response.StatusCode, $"Expected {FanoutPaths.EventStreamMediaType}, got '{response.Content.Headers.ContentType}'."),
                    fatal: true, retryAfter: null);
            }

            var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            deadline.CancelAfter(options.HeartbeatTimeout);
            var watched = new WatchdogStream(body, deadline, options.HeartbeatTimeout);
            var items = SseParser.Create(watched, ParseData).EnumerateAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
            var connection = new Connection(request, response, deadline, items);
            response = null;
            return Opening.Opened(connection);
        }
        catch (HttpRequestException ex)
        {
            return Opening.Failed(ex, fatal: false, retryAfter: null);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The HttpClient's request timeout: the node did not answer in time.
            return Opening.Failed(ex, fatal: false, retryAfter: null);
        }
        finally
        {
            if (response is not null)
            {
                response.Dispose();
                request.Dispose();
                deadline.Dispose();
            }
        }
    }

    private static JsonElement ParseData(string eventType, ReadOnlySpan<byte> data) => JsonElement.Parse(data);

    private readonly record struct Opening(Connection? Connection, Exception? Error, bool Fatal, TimeSpan? RetryAfter)
    {
        public static Opening Opened(Connection connection) => new(connection, null, false, null);

        public static Opening Failed(Exception error, bool fatal, TimeSpan? retryAfter) => new(null, error, fatal, retryAfter);
    }

    /// <summary>One open stream: its response, its heartbeat deadline and its parser.</summary>
    private sealed class Connection(
        HttpRequestMessage request, HttpResponseMessage response, CancellationTokenSource deadline, IAsyncEnumerator<SseItem<JsonElement>> items)
        : IAsyncDisposable
    {
        /// <summary>The next frame, or null when the connection ended, broke or fell silent; throws only when the caller cancelled.</summary>
        public async ValueTask<SseItem<JsonElement>?> NextAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await items.MoveNextAsync() ? items.Current : null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Heartbeat silence past the bound: a dead connection.
                return null;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                return null;
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Closing the response first ends a pending read, so disposing the parser cannot hang.
            response.Dispose();
            try
            {
                await items.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
            {
                // The connection is going away anyway.
            }

            request.Dispose();
            deadline.Dispose();
        }
    }
}
