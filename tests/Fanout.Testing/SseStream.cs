using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Fanout.Testing;

/// <summary>One SSE subscription read with the framework's SseParser, frame by frame.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private SseStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items)
    {
        _response = response;
        _items = items;
    }

    public string? LastEventId { get; private set; }

    /// <summary>The response's headers (e.g. the <c>Last-Event-ID</c> a Mercure hub answers with).</summary>
    public System.Net.Http.Headers.HttpResponseHeaders Headers => _response.Headers;

    public static async Task<SseStream> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync();
        var items = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
        return new SseStream(response, items);
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
        _response.Dispose();
        try
        {
            await _items.DisposeAsync();
        }
        catch (Exception ex) when (ex is NotSupportedException or IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            // A read still pending (a test that timed out) or a dead connection: the
            // response is disposed either way, and the test's own failure is what counts.
        }
    }
}
