using System.Net;
using System.Threading.Channels;
using Fanout.Testing;

namespace Fanout.Security.Tests;

public sealed record SseEvent(string? Id, string Event, string Data);

/// <summary>
/// A subscription read in the background (the kit's <see cref="SseStream"/>, parsed by
/// System.Net.ServerSentEvents): events go into a channel as they arrive, and
/// <see cref="Completion"/> ends with the stream, for tests that watch a stream close.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly SseStream _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseEvent> _events = Channel.CreateUnbounded<SseEvent>();

    private SseClient(SseStream stream)
    {
        _stream = stream;
        Completion = Task.Run(ReadAsync);
    }

    /// <summary>Ends when the server closes the stream (or the client is disposed).</summary>
    public Task Completion { get; }

    /// <summary>Opens the stream; the answer must be 200 text/event-stream.</summary>
    public static async Task<SseClient> OpenAsync(HttpClient http, HttpRequestMessage request)
    {
        SseStream stream;
        try
        {
            stream = await SseStream.OpenAsync(http, request);
        }
        catch (HttpRequestException refused)
        {
            throw new InvalidOperationException($"Expected an SSE stream: {refused.Message}", refused);
        }

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        return new SseClient(stream);
    }

    public async Task<SseEvent> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _events.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Reads until an event matches, failing after <paramref name="timeout"/>.</summary>
    public async Task<SseEvent> WaitForAsync(Func<SseEvent, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await foreach (var e in _events.Reader.ReadAllAsync(cts.Token))
        {
            if (match(e))
            {
                return e;
            }
        }

        throw new InvalidOperationException("The stream ended before the expected event.");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _stream.DisposeAsync();
        try
        {
            await Completion;
        }
        catch (Exception)
        {
            // The reader ends on the disposed response: that is how it stops.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var item in _stream.ReadAllAsync(_stop.Token))
            {
                await _events.Writer.WriteAsync(new SseEvent(item.EventId, item.EventType, item.Data));
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
