using System.Net;
using System.Net.Sockets;

namespace Fanout.Load.Http;

/// <summary>
/// HTTP clients for the tool. Every connection is opened by our own callback, which
/// refuses anything but a loopback address, turns Nagle off and, for slow subscribers,
/// caps the receive buffer so a stalled reader really stalls the server's writes.
/// </summary>
public static class LoopbackHttp
{
    /// <summary>A client whose connections are at most <paramref name="connections"/>, reused (keep-alive).</summary>
    public static HttpClient Create(int connections, int receiveBufferBytes = 0) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, receiveBufferBytes, cancellationToken),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, int receiveBufferBytes, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        var address = addresses.FirstOrDefault(IPAddress.IsLoopback)
            ?? throw new HttpRequestException($"Refusing {endPoint.Host}: not a loopback address.");

        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (receiveBufferBytes > 0)
            {
                // Set before connecting, so the window the server sees starts small.
                socket.ReceiveBufferSize = receiveBufferBytes;
            }

            await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
