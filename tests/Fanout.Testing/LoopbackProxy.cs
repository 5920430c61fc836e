using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Fanout.Testing;

/// <summary>
/// A TCP proxy on 127.0.0.1 between a client (a browser, Fanout.Client) and a node, which the tests use to play
/// the network: <see cref="StallDownstream"/> stops reading from the node (a client or proxy
/// that stopped reading: the node's writes back up into the subscriber's mailbox), and
/// <see cref="CutAndHold"/> resets every connection and holds new ones until
/// <see cref="Restore"/> (a dropped connection while the network is down: the browser's
/// EventSource retries by itself and its retry waits here).
/// </summary>
public sealed class LoopbackProxy : IAsyncDisposable
{
    // Small, fixed socket buffers towards the node keep the bytes a stall can absorb small.
    private const int NodeSideBufferBytes = 8 * 1024;

    private readonly TcpListener _listener;
    private volatile IPEndPoint _target;
    private readonly Gate _admission = new();
    private readonly Gate _downstream = new();
    private readonly ConcurrentDictionary<int, Link> _links = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _nextLink;

    private LoopbackProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    public static LoopbackProxy Start(Uri target) => new(target);

    /// <summary>Stops reading from the node on every connection, present and future.</summary>
    public void StallDownstream() => _downstream.Close();

    public void ResumeDownstream() => _downstream.Open();

    /// <summary>Resets every open connection; new ones are accepted but not forwarded until <see cref="Restore"/>.</summary>
    public void CutAndHold()
    {
        _admission.Close();
        foreach (var link in _links.Values)
        {
            link.Reset();
        }
    }

    public void Restore() => _admission.Open();

    /// <summary>
    /// New connections go to <paramref name="node"/> from now on, open ones stay where they are:
    /// a load balancer that sends a client's reconnect to another node of the cluster.
    /// </summary>
    public void Retarget(Uri node) => _target = new IPEndPoint(IPAddress.Parse(node.Host), node.Port);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var link in _links.Values)
        {
            link.Reset();
        }

        await _accepting;
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var node = new TcpClient { ReceiveBufferSize = NodeSideBufferBytes, SendBufferSize = NodeSideBufferBytes };
        var link = new Link(client, node);
        try
        {
            await _admission.WaitAsync(_stopping.Token);
            await node.ConnectAsync(_target, _stopping.Token);
            var id = Interlocked.Increment(ref _nextLink);
            _links[id] = link;
            try
            {
                var up = PumpAsync(client.GetStream(), node.GetStream(), null);
                var down = PumpAsync(node.GetStream(), client.GetStream(), _downstream);
                await Task.WhenAny(up, down);
            }
            finally
            {
                _links.TryRemove(id, out _);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The proxy is stopping or the node is gone: the link closes below.
        }
        finally
        {
            link.Reset();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, Gate? gate)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                if (gate is not null)
                {
                    await gate.WaitAsync(_stopping.Token);
                }

                var read = await from.ReadAsync(buffer, _stopping.Token);
                if (read == 0)
                {
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // One side closed or was reset: the link ends.
        }
    }

    private sealed class Link(TcpClient browser, TcpClient node)
    {
        private int _closed;

        /// <summary>Resets the browser's side (RST, as a network failure would) and closes the node's side.</summary>
        public void Reset()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1)
            {
                return;
            }

            try
            {
                browser.Client.LingerState = new LingerOption(true, 0);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }

            browser.Dispose();
            node.Dispose();
        }
    }
}
