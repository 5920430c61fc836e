using System.Net;
using System.Net.Sockets;

namespace Fanout.Operations.Tests;

/// <summary>A port free right now, for settings that take a fixed port (no "0" for any free port).</summary>
public static class LoopbackPort
{
    public static int PickFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
