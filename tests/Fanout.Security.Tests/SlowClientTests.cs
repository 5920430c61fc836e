using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Fanout.Security.Tests;

/// <summary>Clients that hold a connection while trickling bytes are cut off by the configured timeouts.</summary>
[Collection(SecuredNodeCollection.Name)]
public sealed class SlowClientTests(SecuredNode fixture)
{
    /// <summary>Kestrel checks its timeouts on a one-second heartbeat; a loaded machine adds a little.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(4);

    private static readonly TimeSpan Trickle = TimeSpan.FromMilliseconds(200);

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_client_sending_headers_slowly_is_cut_off_within_the_headers_timeout()
    {
        var timeout = TimeSpan.FromSeconds(SecuredNode.HeadersTimeoutSeconds);
        var start = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";

        var cutAfter = await TrickleUntilCutAsync(start, "X-Slow: " + new string('a', 500), timeout + Slack + TimeSpan.FromSeconds(10));

        Assert.True(cutAfter < timeout + Slack, $"Cut off after {cutAfter.TotalSeconds:0.0} s; the headers timeout is {timeout.TotalSeconds} s.");
        Assert.True(cutAfter >= timeout - TimeSpan.FromMilliseconds(500), $"Cut off after {cutAfter.TotalSeconds:0.0} s, before the timeout: something else closed it.");
    }

    [Fact]
    public async Task A_client_sending_a_body_slowly_is_cut_off_after_the_grace_period()
    {
        var grace = TimeSpan.FromSeconds(SecuredNode.BodyGraceSeconds);
        var headers = $"POST /topics/limits/slow/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {SecuredNode.Admin}\r\n"
                      + "Content-Type: application/json\r\nContent-Length: 900\r\n\r\n";

        var cutAfter = await TrickleUntilCutAsync(headers, "{\"data\":\"" + new string('b', 880) + "\"}", grace + Slack + TimeSpan.FromSeconds(10));

        Assert.True(cutAfter < grace + Slack, $"Cut off after {cutAfter.TotalSeconds:0.0} s; the body grace period is {grace.TotalSeconds} s.");
    }

    /// <summary>
    /// Sends <paramref name="opening"/> at once, then <paramref name="trickle"/> one byte per
    /// <see cref="Trickle"/> until the server answers or closes. Returns how long that took.
    /// </summary>
    private async Task<TimeSpan> TrickleUntilCutAsync(string opening, string trickle, TimeSpan giveUpAfter)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Node.Address.Host, Node.Address.Port);
        var stream = client.GetStream();
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(opening));
        var buffer = new byte[4096];
        var read = stream.ReadAsync(buffer).AsTask();

        var sent = 0;
        var cutByServer = false;
        while (clock.Elapsed < giveUpAfter && sent < trickle.Length)
        {
            if (read.IsCompleted)
            {
                cutByServer = true;
                break;
            }

            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(trickle[sent..(sent + 1)]));
                sent++;
            }
            catch (IOException)
            {
                cutByServer = true;
                break;
            }

            // The pace of a slow client, not a wait for a condition.
            await Task.WhenAny(read, Task.Delay(Trickle));
        }

        // The loop must have ended because the server answered or closed, not because the
        // trickle ran out or this test gave up.
        Assert.True(cutByServer, $"Nothing cut the client off: {sent} of {trickle.Length} bytes trickled in {clock.Elapsed.TotalSeconds:0.0} s.");
        try
        {
            var count = await read.WaitAsync(giveUpAfter);
            if (count > 0)
            {
                // Kestrel's answer to a request it timed out (headers timeout, minimum body rate).
                var answer = Encoding.ASCII.GetString(buffer, 0, count);
                Assert.StartsWith("HTTP/1.1 408", answer);
            }
        }
        catch (IOException)
        {
            // Reset by the server: cut off without an answer.
        }

        return clock.Elapsed;
    }
}
