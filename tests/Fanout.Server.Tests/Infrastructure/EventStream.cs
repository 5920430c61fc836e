using System.Net.Http.Headers;

namespace Fanout.Server.Tests.Infrastructure;

/// <summary>
/// One SSE subscription as these tests read it: the kit's reader (<see cref="Fanout.Testing.SseStream"/>,
/// System.Net.ServerSentEvents over a response read as it arrives, a deadline on every read),
/// with each frame as a <see cref="ReceivedEvent"/>.
/// </summary>
public sealed class EventStream : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Fanout.Testing.SseStream _frames;

    private EventStream(Fanout.Testing.SseStream frames) => _frames = frames;

    public HttpResponseMessage Response => _frames.Response;

    /// <summary>Opens <paramref name="path"/> and asserts a 200 event stream.</summary>
    public static async Task<EventStream> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        try
        {
            return new EventStream(await Fanout.Testing.SseStream.OpenAsync(http, Request(path, lastEventId)));
        }
        catch (HttpRequestException refused)
        {
            throw new InvalidOperationException(refused.Message, refused);
        }
    }

    /// <summary>Sends the subscribe request and returns once the headers are in; the body is not read.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string? lastEventId = null)
    {
        using var request = Request(path, lastEventId);
        using var headers = new CancellationTokenSource(DefaultTimeout);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
    }

    /// <summary>The next event (comments are skipped by the parser), or a timeout.</summary>
    public async Task<ReceivedEvent> NextAsync(TimeSpan? timeout = null)
    {
        var item = await _frames.NextAsync(timeout ?? DefaultTimeout);
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
    public Task<bool> EndsWithinAsync(TimeSpan timeout) => _frames.EndsAsync(timeout);

    public ValueTask DisposeAsync() => _frames.DisposeAsync();

    private static HttpRequestMessage Request(string path, string? lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        return request;
    }
}
