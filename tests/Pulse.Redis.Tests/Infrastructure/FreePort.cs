using System.Net;
using System.Net.Sockets;

namespace Pulse.Redis.Tests.Infrastructure;

internal static class FreePort
{
    /// <summary>
    /// Below the kernel's ephemeral range (32768-60999 on Linux): a port found free here is bound later (a server started
    /// after the port went into its configuration, or restarted on it), and in between any outgoing connection on the
    /// machine may be given a free ephemeral port as its local port, which then refuses the bind. Above scripts/infra.sh's
    /// 15000-21999 (its cluster buses: +10000).
    /// </summary>
    private const int First = 22000;

    /// <summary>The last port whose cluster bus (port + 10000) is still below the ephemeral range.</summary>
    private const int LastWithBus = 22767;

    private const int Last = 24999;

    /// <summary>
    /// A loopback port nothing listens on, outside the ephemeral range. Cluster nodes also need port + 10000 for their
    /// bus, so <paramref name="withClusterBus"/> checks that one too.
    /// </summary>
    public static int Find(bool withClusterBus = false)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(First, (withClusterBus ? LastWithBus : Last) + 1);
            if (IsFree(port) && (!withClusterBus || IsFree(port + 10000)))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free loopback port (pair) found.");
    }

    private static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }
}
