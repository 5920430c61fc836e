using System.Net.Http.Headers;
using Fanout.Load.Http;
using Fanout.Load.Stats;

namespace Fanout.Load.Publishing;

/// <summary>
/// Publishes events 1..M: at a set rate, or as fast as a bounded number of requests in
/// flight allows (both bounds hold when both are set). Each body carries its seq and the
/// moment it was sent. Stops at the count or the deadline, whichever comes first.
/// </summary>
public sealed class Publisher : IDisposable
{
    private readonly RequestTemplate _template;
    private readonly MediaTypeHeaderValue _contentType;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly HttpClient _http;
    private readonly int _events;
    private readonly double _rate;
    private readonly int _inFlight;
    private readonly int _batch;
    private long _sent;
    private long _succeeded;
    private long _failed;
    private string? _firstFailure;

    public Publisher(LoadOptions options)
    {
        _template = new RequestTemplate(options.PublishUrl, options.PublishBody, options.Channel, options.PayloadBytes, options.Topics);
        _contentType = MediaTypeHeaderValue.Parse(options.PublishContentType);
        _authorization = options.PublishToken is { } token ? new AuthenticationHeaderValue("Bearer", token) : null;
        _http = LoopbackHttp.Create(options.InFlight);
        _events = options.Events;
        _rate = options.Rate;
        _inFlight = options.InFlight;
        _batch = options.Batch;
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failed => Interlocked.Read(ref _failed);

    public string? FirstFailure => Volatile.Read(ref _firstFailure);

    /// <summary>Request → response time of each publish.</summary>
    public LatencyHistogram ResponseTimes { get; } = new();

    public bool TimedOut { get; private set; }

    /// <summary>Publishes until done or <paramref name="deadline"/> passes; returns once every sent request has its answer.</summary>
    public async Task RunAsync(CancellationToken deadline)
    {
        using var slots = new SemaphoreSlim(_inFlight, _inFlight);
        var startMicros = LoadClock.NowMicros;
        try
        {
            for (long seq = 1; seq <= _events; seq += _batch)
            {
                if (_rate > 0)
                {
                    await PaceAsync(startMicros, seq, deadline);
                }

                await slots.WaitAsync(deadline);
                _ = PublishAsync(seq, (int)Math.Min(_batch, _events - seq + 1), slots);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            TimedOut = true;
        }

        // Wait for the requests still out, bounded: each holds a slot until it completes.
        for (var i = 0; i < _inFlight; i++)
        {
            if (!await slots.WaitAsync(TimeSpan.FromSeconds(30)))
            {
                break;
            }
        }
    }

    /// <summary>Events <paramref name="seq"/>..+<paramref name="count"/>-1 in one request (a batch when the run batches); counts are in events.</summary>
    private async Task PublishAsync(long seq, int count, SemaphoreSlim slots)
    {
        try
        {
            var sentMicros = LoadClock.NowMicros;
            using var request = new HttpRequestMessage(HttpMethod.Post, _template.Url(seq))
            {
                Content = new ByteArrayContent(_batch > 1 ? _template.BatchBody(seq, count, sentMicros) : _template.Body(seq, sentMicros)),
            };
            request.Content.Headers.ContentType = _contentType;
            request.Headers.Authorization = _authorization;
            Interlocked.Add(ref _sent, count);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            ResponseTimes.Record(LoadClock.NowMicros - sentMicros);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Add(ref _succeeded, count);
            }
            else
            {
                Fail(count, $"HTTP {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync())}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            Fail(count, ex.Message);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// Waits until event <paramref name="seq"/> is due. Due times count from the start, so a
    /// late timer is made up by sending at once rather than drifting the rate down.
    /// </summary>
    private async Task PaceAsync(long startMicros, long seq, CancellationToken deadline)
    {
        var dueMicros = startMicros + (long)((seq - 1) * 1_000_000 / _rate);
        var waitMicros = dueMicros - LoadClock.NowMicros;
        if (waitMicros >= 1000)
        {
            await Task.Delay(TimeSpan.FromMicroseconds(waitMicros), deadline);
        }
    }

    private void Fail(int count, string reason)
    {
        Interlocked.Add(ref _failed, count);
        Interlocked.CompareExchange(ref _firstFailure, reason, null);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    public void Dispose() => _http.Dispose();
}
