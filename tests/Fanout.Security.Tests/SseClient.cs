using System.Net;
using System.Text;
using System.Threading.Channels;

namespace Fanout.Security.Tests;

public sealed record SseEvent(string? Id, string Event, string Data);

/// <summary>A minimal SSE reader over a real HTTP response: frames go into a channel as they arrive.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseEvent> _events = Channel.CreateUnbounded<SseEvent>();

    private SseClient(HttpResponseMessage response)
    {
        _response = response;
        Completion = Task.Run(ReadAsync);
    }

    /// <summary>Ends when the server closes the stream (or the client is disposed).</summary>
    public Task Completion { get; }

    /// <summary>Opens the stream; the answer must be 200 text/event-stream.</summary>
    public static async Task<SseClient> OpenAsync(HttpClient http, HttpRequestMessage request)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"Expected an SSE stream, got {(int)response.StatusCode}: {body}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseClient(response);
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
        _response.Dispose();
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
            await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(body, Encoding.UTF8);
            string? id = null;
            string type = "message";
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0 || type != "message")
                    {
                        await _events.Writer.WriteAsync(new SseEvent(id, type, data.ToString()));
                    }

                    id = null;
                    type = "message";
                    data.Clear();
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(line[6..]);
                }
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
