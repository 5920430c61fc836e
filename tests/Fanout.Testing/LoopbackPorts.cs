using System.Net;
using System.Net.Sockets;

namespace Fanout.Testing;

/// <summary>
/// Ports the OS reports free on 127.0.0.1, for nodes whose ports must be known before they
/// start (a discovery endpoint list, a restart on the same address).
/// </summary>
public static class LoopbackPorts
{
    public static int[] Take(int count)
    {
        // All probes stay open until every port is picked, so the ports are distinct.
        var probes = new List<Socket>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probes.Add(probe);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            return probes.Select(p => ((IPEndPoint)p.LocalEndPoint!).Port).ToArray();
        }
        finally
        {
            foreach (var probe in probes)
            {
                probe.Dispose();
            }
        }
    }
}
