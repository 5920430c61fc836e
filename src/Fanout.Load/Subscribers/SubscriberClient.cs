using System.Globalization;
using System.Net.ServerSentEvents;
using Fanout.Load.Http;
using Fanout.Load.Stats;

namespace Fanout.Load.Subscribers;

/// <summary>
/// One SSE subscriber on its own keep-alive connection: optionally warms the connection
/// with a plain GET, subscribes, waits until the stream is live, then reads according to
/// its role. A stalled subscriber holds its connection unread until told to resume.
/// </summary>
public sealed class SubscriberClient : IAsyncDisposable
{
    private readonly Uri _url;
    private readonly Uri? _warmupUrl;
    private readonly LoadOptions _options;
    private readonly LatencyHistogram? _latency;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _lifetime;
    private HttpResponseMessage? _response;
    private IAsyncEnumerator<SseItem<ReceivedItem>>? _items;

    public SubscriberClient(Uri url, Uri? warmupUrl, SubscriberRole role, LoadOptions options, LatencyHistogram? latency, CancellationToken run)
    {
        _url = url;
        _warmupUrl = warmupUrl;
        Role = role;
        _options = options;
        _latency = latency;
        _http = LoopbackHttp.Create(1, role == SubscriberRole.Fast ? 0 : options.SlowReceiveBuffer);
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(run);
        Account = new StreamAccount(options.Events);
    }

    public SubscriberRole Role { get; }

    public StreamAccount Account { get; }

    public bool IsReady { get; private set; }

    /// <summary>The stream ended before the tool stopped it (server closed it or it failed).</summary>
    public bool EndedEarly { get; private set; }

    public string? Failure { get; private set; }

    /// <summary>When the stream's bytes and comments arrived, with <see cref="LoadOptions.HeartbeatWithinSeconds"/>; null otherwise.</summary>
    public SilenceMeter? Silence { get; private set; }

    /// <summary>Connects and waits for the stream to be live, within <paramref name="timeout"/>.</summary>
    public async Task ConnectAsync(TimeSpan timeout)
    {
        _lifetime.CancelAfter(timeout);
        try
        {
            var token = _lifetime.Token;
            if (_warmupUrl is not null)
            {
                using var warm = await _http.GetAsync(_warmupUrl, HttpCompletionOption.ResponseContentRead, token);
            }

            var request = new HttpRequestMessage(HttpMethod.Get, _url);
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (_options.SubscribeToken is { } bearer)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            }
            _response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            if (!_response.IsSuccessStatusCode)
            {
                Failure = $"HTTP {(int)_response.StatusCode}";
                return;
            }

            var stream = await _response.Content.ReadAsStreamAsync(token);
            if (_options.HeartbeatWithinSeconds > 0)
            {
                // From the headers on: the opening frame is the first arrival, keepalive comments follow.
                Silence = new SilenceMeter(LoadClock.NowMicros);
                stream = new MeteredStream(stream, Silence);
            }

            _items = SseParser.Create(stream, ReceivedItem.Parse).EnumerateAsync(token).GetAsyncEnumerator(token);
            if (_options.ReadyEvent is { } ready)
            {
                while (true)
                {
                    if (!await _items.MoveNextAsync())
                    {
                        Failure = "stream ended before it was live";
                        return;
                    }

                    if (_items.Current.EventType == ready)
                    {
                        if (ServerSeq(_items.Current.EventId) is { } start)
                        {
                            Account.StartAt(start);
                        }

                        break;
                    }
                }
            }

            _lifetime.CancelAfter(Timeout.InfiniteTimeSpan);
            IsReady = true;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            Failure = ex is OperationCanceledException ? "timed out connecting" : ex.Message;
        }
    }

    /// <summary>
    /// Reads until <see cref="Stop"/> or the stream ends. A stalled subscriber first waits
    /// for <paramref name="resume"/>.
    /// </summary>
    public async Task ReadAsync(Task resume)
    {
        if (!IsReady || _items is null)
        {
            return;
        }

        try
        {
            if (Role == SubscriberRole.Stalled)
            {
                await resume.WaitAsync(_lifetime.Token);
            }

            // Readers start as soon as their stream is live (so comments are seen when they come);
            // a paced reader's clock starts with its first event.
            var startMicros = 0L;
            long events = 0;
            while (await _items.MoveNextAsync())
            {
                var item = _items.Current;
                switch (item.Data.Kind)
                {
                    case ItemKind.Event:
                        var now = LoadClock.NowMicros;
                        startMicros = events == 0 ? now : startMicros;
                        Account.OnEvent(item.Data.Seq, ServerSeq(item.EventId), now);
                        _latency?.Record(now - item.Data.SentMicros);
                        events++;
                        if (Role == SubscriberRole.Paced)
                        {
                            await PaceAsync(startMicros, events);
                        }

                        break;
                    case ItemKind.Lagged:
                        Account.OnLagged(item.Data.FromSeq, item.Data.ToSeq);
                        break;
                    case ItemKind.Reset:
                        Account.OnReset();
                        break;
                }
            }

            EndedEarly = true;
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Stopped by the tool.
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            EndedEarly = true;
            Failure ??= ex.Message;
        }
    }

    public void Stop() => _lifetime.Cancel();

    public async ValueTask DisposeAsync()
    {
        _lifetime.Cancel();
        if (_items is not null)
        {
            try
            {
                await _items.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or HttpRequestException)
            {
                // The connection is going away either way.
            }
        }

        _response?.Dispose();
        _http.Dispose();
        _lifetime.Dispose();
    }

    private async Task PaceAsync(long startMicros, long events)
    {
        var dueMicros = startMicros + (long)(events * 1_000_000 / _options.SlowRate);
        var waitMicros = dueMicros - LoadClock.NowMicros;
        if (waitMicros >= 1000)
        {
            await Task.Delay(TimeSpan.FromMicroseconds(waitMicros), _lifetime.Token);
        }
    }

    /// <summary>The server seq in an id shaped <c>epoch-seq</c>, when the run reads ids that way.</summary>
    private long? ServerSeq(string? eventId)
    {
        if (!_options.SeqFromEventId || string.IsNullOrEmpty(eventId))
        {
            return null;
        }

        var dash = eventId.LastIndexOf('-');
        return dash > 0 && long.TryParse(eventId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? seq
            : null;
    }
}
