using System.Net.Http.Headers;
using System.Net.ServerSentEvents;

namespace Fanout.Server.Tests.Infrastructure;

/// <summary>
/// One SSE subscription over a real HTTP response, read with <see cref="SseParser"/>:
/// the response is opened with <see cref="HttpCompletionOption.ResponseHeadersRead"/> so
/// the stream is read as it arrives, and every read has a deadline.
/// </summary>
public sealed class SseStream : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _cancel = new();
    private readonly Stream _body;
    private readonly IAsyncEnumerator<SseItem<string>> _items;
    private int _disposed;

    private SseStream(HttpResponseMessage response, Stream body)
    {
        Response = response;
        _body = body;
        _items = SseParser.Create(body).EnumerateAsync(_cancel.Token).GetAsyncEnumerator(_cancel.Token);
    }

    public HttpResponseMessage Response { get; }

    /// <summary>Opens <paramref name="path"/> and asserts a 200 event stream.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        var response = await SendAsync(http, path, lastEventId);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
        }

        var stream = await response.Content.ReadAsStreamAsync();
        return new SseStream(response, stream);
    }

    /// <summary>Sends the subscribe request and returns once the headers are in; the body is not read.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var headers = new CancellationTokenSource(DefaultTimeout);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
    }

    /// <summary>The next event (comments are skipped by the parser), or a timeout.</summary>
    public async Task<ReceivedEvent> NextAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        bool more;
        try
        {
            more = await _items.MoveNextAsync().AsTask().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            // The pending read cannot be resumed: this stream is finished for the test.
            await _cancel.CancelAsync();
            throw new TimeoutException($"No SSE event within {limit.TotalSeconds:0.#} s.");
        }

        if (!more)
        {
            throw new EndOfStreamException("The SSE stream ended.");
        }

        var item = _items.Current;
        return new ReceivedEvent(item.EventId, item.EventType, item.Data, item.ReconnectionInterval);
    }

    /// <summary>The next event, which must be of <paramref name="type"/>.</summary>
    public async Task<ReceivedEvent> NextAsync(string type, TimeSpan? timeout = null)
    {
        var received = await NextAsync(timeout);
        Assert.True(received.Type == type, $"Expected a '{type}' event, got '{received.Type}': {received.Data}");
        return received;
    }

    /// <summary>Whether the server ended the stream (end of body or a broken connection) within the timeout.</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan timeout)
    {
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (!await _items.MoveNextAsync().AsTask().WaitAsync(timeout - clock.Elapsed))
                {
                    return true;
                }
            }

            return false;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _cancel.CancelAsync();
        Response.Dispose();
        try
        {
            await _items.DisposeAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // Disposing a stream that is mid-read ends that read; nothing to report.
        }

        await _body.DisposeAsync();
        _cancel.Dispose();
    }
}
