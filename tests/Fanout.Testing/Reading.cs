using Fanout.Client;

namespace Fanout.Testing;

/// <summary>Reads a Fanout.Client subscription item by item with a deadline per item, so a missing event fails the test instead of hanging it.</summary>
public sealed class Reading : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IAsyncEnumerator<FanoutEvent> _items;
    private Task<bool>? _pending;

    public Reading(FanoutClient client, IEnumerable<string> topics, string? lastEventId = null)
    {
        _items = client.SubscribeAsync(topics, lastEventId, _stop.Token).GetAsyncEnumerator();
    }

    public Reading(FanoutClient client, string topic, string? lastEventId = null)
        : this(client, [topic], lastEventId)
    {
    }

    public CancellationTokenSource Stop => _stop;

    /// <summary>Asks for the first item, which opens the connection (the enumeration is lazy); <see cref="NextAsync"/> then awaits it.</summary>
    public void Open() => _pending ??= _items.MoveNextAsync().AsTask();

    /// <summary>The pending read (for tests that watch it end).</summary>
    public Task<bool> Pending => _pending ?? throw new InvalidOperationException("Nothing is being read.");

    public async Task<FanoutEvent> NextAsync(TimeSpan? within = null)
    {
        Open();
        var move = _pending!;
        var limit = within ?? TimeSpan.FromSeconds(30);
        if (await Task.WhenAny(move, Task.Delay(limit)) != move)
        {
            throw new TimeoutException($"No item within {limit.TotalSeconds:0} s.");
        }

        _pending = null;
        if (!await move)
        {
            throw new EndOfStreamException("The subscription ended.");
        }

        return _items.Current;
    }

    /// <summary>Reads items until one satisfies <paramref name="last"/>; returns all of them, that one included.</summary>
    public async Task<List<FanoutEvent>> UntilAsync(Func<FanoutEvent, bool> last, int atMost = 10_000)
    {
        var read = new List<FanoutEvent>();
        for (var i = 0; i < atMost; i++)
        {
            var item = await NextAsync();
            read.Add(item);
            if (last(item))
            {
                return read;
            }
        }

        throw new InvalidOperationException($"No matching item within {atMost} items.");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_pending is not null)
        {
            // An async iterator cannot be disposed while a MoveNext runs: let the cancellation end it.
            if (await Task.WhenAny(_pending, Task.Delay(TimeSpan.FromSeconds(10))) != _pending)
            {
                throw new TimeoutException("The subscription did not end within 10 s of its cancellation.");
            }
        }

        await _items.DisposeAsync();
        _stop.Dispose();
    }
}
