using System.Globalization;
using Fanout.Load.Checks;
using Fanout.Load.Probes;
using Fanout.Load.Publishing;
using Fanout.Load.Reporting;
using Fanout.Load.Stats;
using Fanout.Load.Subscribers;

namespace Fanout.Load;

/// <summary>
/// One load run, phase by phase: connect every subscriber (each reads from then on), (hold,
/// and check the keepalives heard during it,) publish while fast
/// subscribers read, wait for them to drain, let slow subscribers resume and drain, then
/// stop everything and summarize. Every wait is bounded by the run's hard deadline.
/// </summary>
public sealed class LoadRun
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly LoadOptions _options;
    private readonly TextWriter _progressOut;
    private readonly LatencyHistogram _latency = new();
    private readonly List<SubscriberClient> _subscribers = new();
    private string _phase = "connect";

    public LoadRun(LoadOptions options, TextWriter progressOut)
    {
        _options = options;
        _progressOut = progressOut;
    }

    public async Task<LoadSummary> RunAsync(CancellationToken cancellationToken)
    {
        using var hard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hard.CancelAfter(TimeSpan.FromSeconds(_options.MaxSeconds));
        var runStart = LoadClock.NowMicros;
        var tool = ProcessProbe.Self();
        var toolAtStart = tool.Sample();
        await using var toolPeak = new PeakSampler(tool, TimeSpan.FromMilliseconds(_options.SampleMilliseconds));
        await using var server = _options.ServerPids.Count > 0
            ? new PeakSampler(new ProcessProbe(_options.ServerPids), TimeSpan.FromMilliseconds(_options.SampleMilliseconds))
            : null;
        using var publisher = new Publisher(_options);
        await using var progress = new ProgressReporter(_progressOut, TimeSpan.FromSeconds(_options.ProgressSeconds), () => Status(publisher, server));

        var serverAtStart = server?.SampleNow();
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connectStart = LoadClock.NowMicros;
        var readers = await ConnectAllAsync(resume.Task, hard.Token);
        var connectSeconds = Seconds(LoadClock.NowMicros - connectStart);
        if (_options.HoldSeconds > 0)
        {
            _phase = "hold";
            await WaitQuietlyAsync(TimeSpan.FromSeconds(_options.HoldSeconds), hard.Token);
        }

        var heartbeats = _options.HeartbeatWithinSeconds > 0
            ? HeartbeatCheck.Summarize(_subscribers, _options.HeartbeatWithinSeconds, LoadClock.NowMicros)
            : null;
        var serverConnected = server?.SampleNow();

        _phase = "publish";
        var serverBefore = server?.SampleNow();
        var toolBefore = tool.Sample();
        var publishStart = LoadClock.NowMicros;
        using (var publishDeadline = CancellationTokenSource.CreateLinkedTokenSource(hard.Token))
        {
            publishDeadline.CancelAfter(TimeSpan.FromSeconds(_options.PublishSeconds));
            await publisher.RunAsync(publishDeadline.Token);
        }

        var publishEnd = LoadClock.NowMicros;
        _phase = "drain";
        var fast = _subscribers.Where(s => s.Role == SubscriberRole.Fast && s.IsReady).ToList();
        await DrainAsync(fast, publisher.Succeeded, hard.Token);
        var serverAfter = server?.SampleNow();
        var toolAfter = tool.Sample();
        var deliveries = _subscribers.Sum(s => s.Account.Received);

        _phase = "resume";
        resume.TrySetResult();
        var slow = _subscribers.Where(s => s.Role != SubscriberRole.Fast && s.IsReady).ToList();
        await DrainAsync(slow, publisher.Succeeded, hard.Token);

        _phase = "stop";
        foreach (var subscriber in _subscribers)
        {
            subscriber.Stop();
        }

        try
        {
            await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // A reader that ignores its stop is disposed with the rest below; the summary still counts what it got.
        }

        ResumeCheckSummary? resumeCheck = null;
        if (_options.CheckTopics > 0)
        {
            _phase = "check";
            resumeCheck = await new ResumeCheck(_options).RunAsync(_options.CheckPublished ?? publisher.Sent, hard.Token);
        }

        var serverAtEnd = server?.SampleNow();
        var toolAtEnd = tool.Sample();
        var slowSummary = SummarizeSlow(slow, publisher.Succeeded, MaxServerSeq(fast));
        var fastSummary = SummarizeFast(fast, publisher.Succeeded, publishStart);
        await Task.WhenAll(_subscribers.Select(s => s.DisposeAsync().AsTask()));

        return new LoadSummary(
            _options.Channel,
            new SubscriberCounts(
                _options.Subscribers,
                _options.Fast,
                _options.Slow,
                _options.Slow == 0 ? "none" : _options.Stalled ? "stalled" : string.Create(CultureInfo.InvariantCulture, $"paced {_options.SlowRate}/s"),
                _subscribers.Count(s => s.IsReady),
                _subscribers.Count(s => !s.IsReady),
                _subscribers.FirstOrDefault(s => s.Failure is not null && !s.IsReady)?.Failure,
                connectSeconds),
            new PublishSummary(
                _options.Events,
                _options.PayloadBytes,
                publisher.Sent,
                publisher.Succeeded,
                publisher.Failed,
                publisher.FirstFailure,
                Seconds(publishEnd - publishStart),
                Rate(publisher.Succeeded, publishEnd - publishStart),
                publisher.TimedOut,
                publisher.ResponseTimes.Summarize(),
                _options.Topics),
            fastSummary,
            slowSummary,
            server is null
                ? null
                : SummarizeServer(serverAtStart!.Value, serverConnected!.Value, serverBefore!.Value, serverAfter!.Value, serverAtEnd!.Value, server.PeakKiB, deliveries),
            new ToolSummary(
                Math.Round(toolAfter.CpuSeconds - toolBefore.CpuSeconds, 2),
                Math.Round(toolAtEnd.CpuSeconds - toolAtStart.CpuSeconds, 2),
                Math.Round(toolPeak.PeakKiB / 1024.0, 1)),
            Seconds(LoadClock.NowMicros - runStart),
            hard.IsCancellationRequested && !cancellationToken.IsCancellationRequested,
            resumeCheck,
            heartbeats);
    }

    /// <summary>
    /// Connects every subscriber and starts each one's reader as soon as it is live, so what
    /// arrives while the others connect (keepalive comments) is read when it comes.
    /// </summary>
    /// <returns>The readers, one per subscriber.</returns>
    private async Task<Task[]> ConnectAllAsync(Task resume, CancellationToken cancellationToken)
    {
        var connectTimeout = TimeSpan.FromSeconds(Math.Min(30, _options.MaxSeconds));
        for (var i = 0; i < _options.Subscribers; i++)
        {
            // The slow ones are the last K, spread over the URLs like the rest.
            var role = i < _options.Fast ? SubscriberRole.Fast : _options.Stalled ? SubscriberRole.Stalled : SubscriberRole.Paced;
            var url = Expand(_options.SubscribeUrls[i % _options.SubscribeUrls.Count]);
            var warmup = _options.WarmupUrl is null ? null : Expand(_options.WarmupUrl);
            _subscribers.Add(new SubscriberClient(url, WarmupFor(url, warmup), role, _options, role == SubscriberRole.Fast ? _latency : null, cancellationToken));
        }

        using var slots = new SemaphoreSlim(_options.ConnectConcurrency);
        return await Task.WhenAll(_subscribers.Select(async subscriber =>
        {
            await slots.WaitAsync(CancellationToken.None);
            try
            {
                await subscriber.ConnectAsync(connectTimeout);
            }
            finally
            {
                slots.Release();
            }

            return Task.Run(() => subscriber.ReadAsync(resume));
        }));
    }

    /// <summary>The warm-up GET goes to the same host as the subscription (its own keep-alive connection).</summary>
    private static Uri? WarmupFor(Uri subscribe, Uri? warmup) =>
        warmup is null ? null : new UriBuilder(warmup) { Host = subscribe.Host, Port = subscribe.Port }.Uri;

    private Uri Expand(string template) =>
        new(template.Replace(Placeholders.Channel, Uri.EscapeDataString(_options.Channel), StringComparison.Ordinal));

    /// <summary>
    /// Waits until every subscriber has accounted for every published event, or none made
    /// progress for the drain-idle time, or the run's deadline passed.
    /// </summary>
    private async Task DrainAsync(IReadOnlyList<SubscriberClient> subscribers, long published, CancellationToken cancellationToken)
    {
        var idleLimit = (long)(_options.DrainIdleSeconds * 1_000_000);
        var lastTotal = -1L;
        var lastProgress = LoadClock.NowMicros;
        while (!cancellationToken.IsCancellationRequested)
        {
            var total = 0L;
            var done = true;
            foreach (var subscriber in subscribers)
            {
                var accounted = subscriber.Account.Accounted;
                total += accounted;
                done &= accounted >= published || subscriber.EndedEarly;
            }

            if (done)
            {
                return;
            }

            var now = LoadClock.NowMicros;
            if (total != lastTotal)
            {
                lastTotal = total;
                lastProgress = now;
            }
            else if (now - lastProgress > idleLimit)
            {
                return;
            }

            await WaitQuietlyAsync(Poll, cancellationToken);
        }
    }

    private static async Task WaitQuietlyAsync(TimeSpan time, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The deadline ends the phase; the summary says the run timed out.
        }
    }

    private FastSummary SummarizeFast(IReadOnlyList<SubscriberClient> fast, long published, long publishStart)
    {
        var delivered = fast.Sum(s => s.Account.Received);
        var expected = published * _options.Fast;
        var lastReceipt = fast.Count == 0 ? publishStart : fast.Max(s => s.Account.LastReceiptMicros);
        return new FastSummary(
            delivered,
            expected,
            expected == 0 ? 0 : Math.Round((double)delivered / expected, 6),
            Rate(delivered, lastReceipt - publishStart),
            fast.Count(s => s.Account.Received >= published),
            fast.Sum(s => s.Account.Duplicates),
            fast.Sum(s => s.Account.OrderViolations),
            fast.Sum(s => s.Account.SilentGaps),
            fast.Sum(s => s.Account.LaggedSeqs),
            fast.Count(s => s.EndedEarly),
            _latency.Summarize());
    }

    /// <summary>
    /// A slow subscriber is covered exactly when every event either arrived or lies in a
    /// lagged range, no seq was skipped silently or seen twice, and its stream reached the
    /// last seq the fast subscribers saw.
    /// </summary>
    private SlowSummary SummarizeSlow(IReadOnlyList<SubscriberClient> slow, long published, long? lastServerSeq)
    {
        var received = slow.Select(s => s.Account.Received).DefaultIfEmpty(0).ToList();
        var exact = slow.Count(s =>
            s.Account.Received + s.Account.LaggedSeqs == published
            && s.Account.SilentGaps == 0
            && s.Account.OrderViolations == 0
            && s.Account.Duplicates == 0
            && (lastServerSeq is null || s.Account.Position == lastServerSeq));
        return new SlowSummary(
            _options.Slow,
            received.Sum(),
            received.Min(),
            received.Max(),
            slow.Sum(s => published - s.Account.Received),
            slow.Sum(s => s.Account.LaggedRanges),
            slow.Sum(s => s.Account.LaggedSeqs),
            slow.Sum(s => s.Account.SilentGaps),
            slow.Sum(s => s.Account.OrderViolations),
            exact,
            slow.Count(s => s.EndedEarly));
    }

    private static long? MaxServerSeq(IReadOnlyList<SubscriberClient> fast) =>
        fast.Select(s => s.Account.Position).Where(p => p is not null).DefaultIfEmpty(null).Max();

    private ServerSummary SummarizeServer(
        ProcessSample start, ProcessSample connected, ProcessSample before, ProcessSample after, ProcessSample end, long peakKiB, long deliveries)
    {
        var cpu = after.CpuSeconds - before.CpuSeconds;
        return new ServerSummary(
            _options.ServerPids,
            start.RssMiB,
            connected.RssMiB,
            Math.Round(peakKiB / 1024.0, 1),
            end.RssMiB,
            Math.Round((peakKiB - start.RssKiB) / 1024.0, 1),
            _options.Subscribers == 0 ? 0 : Math.Round((double)(connected.RssKiB - start.RssKiB) / _options.Subscribers, 2),
            Math.Round(cpu, 2),
            deliveries == 0 ? 0 : Math.Round(cpu / (deliveries / 1_000_000.0), 3));
    }

    private string Status(Publisher publisher, PeakSampler? server)
    {
        long fast = 0, slow = 0, comments = 0;
        var ready = 0;
        foreach (var subscriber in _subscribers.ToArray())
        {
            ready += subscriber.IsReady ? 1 : 0;
            comments += subscriber.Silence?.Comments ?? 0;
            if (subscriber.Role == SubscriberRole.Fast)
            {
                fast += subscriber.Account.Received;
            }
            else
            {
                slow += subscriber.Account.Accounted;
            }
        }

        var heard = _options.HeartbeatWithinSeconds > 0 ? string.Create(CultureInfo.InvariantCulture, $" comments {comments}") : string.Empty;
        var rss = server is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" server-rss {server.LastKiB / 1024.0:0.0}MiB");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{_phase,-7} ready {ready}/{_options.Subscribers} published {publisher.Succeeded}/{_options.Events} (failed {publisher.Failed}) fast-delivered {fast} slow-accounted {slow} latency-p99 {_latency.Summarize().P99}ms{heard}{rss}");
    }

    private static double Seconds(long micros) => Math.Round(micros / 1_000_000.0, 3);

    private static double Rate(long count, long micros) => micros <= 0 ? 0 : Math.Round(count / (micros / 1_000_000.0), 1);
}
