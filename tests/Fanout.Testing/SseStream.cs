using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Fanout.Testing;

/// <summary>One SSE subscription read with the framework's SseParser, frame by frame.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private SseStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items)
    {
        Response = response;
        _items = items;
    }

    /// <summary>The answer whose body is the stream (status and headers are read already).</summary>
    public HttpResponseMessage Response { get; }

    public string? LastEventId { get; private set; }

    /// <summary>The response's headers (e.g. the <c>Last-Event-ID</c> a Mercure hub answers with).</summary>
    public System.Net.Http.Headers.HttpResponseHeaders Headers => Response.Headers;

    public static Task<SseStream> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return OpenAsync(http, request);
    }

    /// <summary>Sends <paramref name="request"/> (its own headers: a token, a cookie) and reads the stream it answers; throws unless 2xx.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient http, HttpRequestMessage request)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new HttpRequestException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        var stream = await response.Content.ReadAsStreamAsync();
        var items = SseParser.Create(stream).EnumerateAsync().GetAsyncEnumerator();
        return new SseStream(response, items);
    }

    /// <summary>Every frame until the stream ends or <paramref name="cancellationToken"/> fires, for a reader that runs in the background.</summary>
    public async IAsyncEnumerable<SseItem<string>> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _items.MoveNextAsync().AsTask().WaitAsync(cancellationToken))
        {
            var item = _items.Current;
            if (item.EventId is { Length: > 0 } id)
            {
                LastEventId = id;
            }

            yield return item;
        }
    }

    /// <summary>The next frame; fails the test if none arrives within <paramref name="timeout"/>.</summary>
    public async Task<SseItem<string>> NextAsync(TimeSpan? timeout = null)
    {
        var move = _items.MoveNextAsync().AsTask();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        if (await Task.WhenAny(move, Task.Delay(limit)) != move)
        {
            throw new TimeoutException($"No SSE frame within {limit.TotalSeconds:0} s.");
        }

        if (!await move)
        {
            throw new EndOfStreamException("The SSE stream ended.");
        }

        var item = _items.Current;
        if (item.EventId is { Length: > 0 } id)
        {
            LastEventId = id;
        }

        return item;
    }

    /// <summary>Reads until a frame of <paramref name="eventType"/> arrives, returning it and what came before.</summary>
    public async Task<(SseItem<string> Match, List<SseItem<string>> Before)> NextOfTypeAsync(string eventType, TimeSpan? timeout = null)
    {
        var before = new List<SseItem<string>>();
        for (var i = 0; i < 10_000; i++)
        {
            var item = await NextAsync(timeout);
            if (item.EventType == eventType)
            {
                return (item, before);
            }

            before.Add(item);
        }

        throw new InvalidOperationException($"No {eventType} within 10,000 frames.");
    }

    /// <summary>Ends reading at the end of the stream (server closed it); true if it closed within the timeout.</summary>
    public async Task<bool> EndsAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (var i = 0; i < 10_000 && DateTime.UtcNow < deadline; i++)
        {
            var move = _items.MoveNextAsync().AsTask();
            if (await Task.WhenAny(move, Task.Delay(deadline - DateTime.UtcNow)) != move)
            {
                return false;
            }

            try
            {
                if (!await move)
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                return true;
            }
        }

        return false;
    }

    public static long DataNumber(SseItem<string> item) => JsonDocument.Parse(item.Data).RootElement.GetInt64();

    public async ValueTask DisposeAsync()
    {
        // Ending the response ends a read in progress (a background ReadAllAsync, a timed-out
        // NextAsync); the parser then refuses to be disposed mid-read, which is no failure.
        Response.Dispose();
        try
        {
            await _items.DisposeAsync();
        }
        catch (Exception ex) when (ex is NotSupportedException or OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
        }
    }
}
