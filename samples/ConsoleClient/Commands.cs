using System.Globalization;
using Fanout.Client;

namespace ConsoleClient;

/// <summary>
/// <c>publish HUB TOPIC COUNT</c> and <c>tail HUB TOPIC [--cursor FILE] [--count N]</c>: the
/// whole sample. The tail is one subscription over reconnects (the client resumes by itself
/// when the node restarts); with <c>--cursor</c> it also resumes after this program restarts.
/// </summary>
public static class Commands
{
    private const string Usage = """
        usage:
          publish HUB TOPIC COUNT                   publish COUNT events {"n":1..COUNT}
          tail HUB TOPIC [--cursor FILE] [--count N] print events; store the last id in FILE
                                                    and resume from it; stop after N items
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            return args switch
            {
                ["publish", var hub, var topic, var count] when int.TryParse(count, CultureInfo.InvariantCulture, out var n) && n > 0 =>
                    await PublishAsync(new Uri(hub), topic, n, output, cancellationToken),
                ["tail", var hub, var topic, .. var options] when TailOptions.TryParse(options, out var tail) =>
                    await TailAsync(new Uri(hub), topic, tail, output, cancellationToken),
                _ => Fail(output, Usage),
            };
        }
        catch (FanoutProblemException problem)
        {
            return Fail(output, $"the hub refused: {(int)problem.Status} {problem.Title}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    private static async Task<int> PublishAsync(Uri hub, string topic, int count, TextWriter output, CancellationToken cancellationToken)
    {
        using var client = new FanoutClient(hub);

        // A key per event makes each publish safe to retry: the hub stores it once.
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var n = 1; n <= count; n++)
        {
            var result = await client.PublishAsync(topic, new { n }, type: "tick", key: $"{run}-{n}", cancellationToken: cancellationToken);
            await output.WriteLineAsync($"published n={n} seq={result.Seq} id={result.Id}");
        }

        return 0;
    }

    private static async Task<int> TailAsync(Uri hub, string topic, TailOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var client = new FanoutClient(hub);
        var lastId = options.CursorFile is { } file && File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        await output.WriteLineAsync(lastId is null ? $"tailing {topic} from now" : $"tailing {topic} after {lastId}");

        var items = 0;
        await foreach (var e in client.SubscribeAsync(topic, lastId, cancellationToken))
        {
            var line = e.Kind switch
            {
                FanoutEventKind.Lagged => $"lagged: {e.Lagged!.Dropped} events dropped (seq {e.Lagged.FromSeq}-{e.Lagged.ToSeq})",
                FanoutEventKind.Reset => $"reset: {e.Reset!.Reason}; reload your state",
                _ => $"{e.Type} {e.Data.GetRawText()} id={e.Id}",
            };
            await output.WriteLineAsync(line);
            if (e.Id is { } id && options.CursorFile is { } cursor)
            {
                await File.WriteAllTextAsync(cursor, id, CancellationToken.None);
            }

            if (++items == options.Count)
            {
                break;
            }
        }

        return 0;
    }

    private static int Fail(TextWriter output, string message)
    {
        output.WriteLine(message);
        return 2;
    }
}
