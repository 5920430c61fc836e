using System.Net;
using System.Text.Json;

namespace Fanout.Security.Tests;

/// <summary>
/// A well-behaved subscriber that stays open while a barrage runs: it is sent numbered
/// pulses during the barrage, proves now and then that the latest one arrived, and at the
/// end must have every pulse and a closing marker, with no lag or reset in between.
/// </summary>
public sealed class HealthySubscriber : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TestNode _node;
    private readonly string _topic;
    private readonly string _token;
    private readonly SseClient _stream;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly HashSet<int> _received = [];
    private readonly HashSet<string> _markers = [];
    private int _published;

    private HealthySubscriber(TestNode node, string topic, string token, SseClient stream)
    {
        _node = node;
        _topic = topic;
        _token = token;
        _stream = stream;
    }

    public static async Task<HealthySubscriber> OpenAsync(TestNode node, string token)
    {
        var topic = $"healthy/{Guid.NewGuid():N}";
        var stream = await SseClient.OpenAsync(node.Http, node.Request(HttpMethod.Get, $"/topics/{topic}/events", token));
        Assert.Equal("fanout.connected", (await stream.NextAsync(Patience)).Event);
        return new HealthySubscriber(node, topic, token, stream);
    }

    /// <summary>Publishes the next pulse; every <paramref name="checkEvery"/>th one is awaited on the stream.</summary>
    public async Task PulseAsync(int checkEvery = 10)
    {
        var n = Interlocked.Increment(ref _published);
        using (var response = await _node.PublishAsync(_topic, _token, $$"""{"type":"pulse","data":{{n}}}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        if (n % checkEvery == 0)
        {
            await ReadUntilAsync(() => _received.Contains(n));
        }
    }

    /// <summary>After the barrage: a marker arrives, and so did every pulse before it.</summary>
    public async Task AssertReceivedEverythingAsync()
    {
        var marker = Guid.NewGuid().ToString("N");
        using (var response = await _node.PublishAsync(_topic, _token, $$"""{"type":"marker","data":"{{marker}}"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await ReadUntilAsync(() => _markers.Contains(JsonSerializer.Serialize(marker)));
        Assert.Equal(Enumerable.Range(1, _published).ToHashSet(), _received);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _reading.Dispose();
    }

    /// <summary>Reads the stream until <paramref name="satisfied"/>; one reader at a time.</summary>
    private async Task ReadUntilAsync(Func<bool> satisfied)
    {
        await _reading.WaitAsync();
        try
        {
            if (satisfied())
            {
                return;
            }

            await _stream.WaitForAsync(
                e =>
                {
                    Assert.False(e.Event is "fanout.lagged" or "fanout.reset" or "fanout.shutdown", $"The healthy subscriber got {e.Event}: {e.Data}");
                    if (e.Event == "pulse")
                    {
                        _received.Add(int.Parse(e.Data, System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else if (e.Event == "marker")
                    {
                        _markers.Add(e.Data);
                    }

                    return satisfied();
                },
                Patience);
        }
        finally
        {
            _reading.Release();
        }
    }
}
