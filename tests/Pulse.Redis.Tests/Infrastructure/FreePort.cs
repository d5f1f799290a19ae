using System.Net;
using System.Net.Sockets;

namespace Pulse.Redis.Tests.Infrastructure;

internal static class FreePort
{
    /// <summary>
    /// A loopback port nothing listens on. Cluster nodes also need port + 10000 for their bus,
    /// so <paramref name="withClusterBus"/> checks that one too.
    /// </summary>
    public static int Find(bool withClusterBus = false)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Bind(0);
            if (!withClusterBus || (port + 10000 <= 65535 && IsFree(port + 10000)))
            {
                return port;
            }
        }
        throw new InvalidOperationException("No free loopback port pair found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            Bind(port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Bind(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
