using System.Net.Sockets;

namespace Pulse.Redis.Resp;

internal sealed partial class NodeConnection
{
    private static readonly RedisArg[] AskingCommand = ["ASKING"];

    /// <summary>
    /// Opens a socket and authenticates / selects the database, all within the configured connect timeout.
    /// </summary>
    /// <exception cref="RedisConnectionException">The node is unreachable, too slow, or rejected the handshake.</exception>
    public static async Task<NodeConnection> ConnectAsync(
        RedisEndpoint endpoint,
        RedisConfiguration configuration,
        Func<RedisResult, bool>? pushHandler,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(configuration.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        NodeConnection? connection = null;
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token).ConfigureAwait(false);
            connection = new NodeConnection(endpoint, socket, configuration.CommandTimeout, pushHandler);
            await connection.HandshakeAsync(configuration, timeout.Token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex)
        {
            var failure = ex switch
            {
                RedisConnectionException redis => redis,
                OperationCanceledException when cancellationToken.IsCancellationRequested =>
                    new RedisConnectionException($"Connecting to Redis {endpoint} was abandoned because the client is shutting down.", ex),
                OperationCanceledException =>
                    new RedisConnectionException($"Connecting to Redis {endpoint} timed out after {(long)configuration.ConnectTimeout.TotalMilliseconds} ms.", ex),
                _ => new RedisConnectionException($"Could not connect to Redis {endpoint}: {ex.Message}", ex),
            };
            if (connection is null)
            {
                socket.Dispose();
            }
            else
            {
                connection.Close(failure);
            }
            throw failure;
        }
    }

    private async Task HandshakeAsync(RedisConfiguration configuration, CancellationToken cancellationToken)
    {
        // The handshake commands are pipelined; their replies come back in this order.
        var steps = new List<(string Name, Task<RedisResult> Reply, bool Required)>();
        if (configuration.Password is not null)
        {
            RedisArg[] auth = configuration.User is null
                ? ["AUTH", configuration.Password]
                : ["AUTH", configuration.User, configuration.Password];
            steps.Add(("AUTH", Send(auth), true));
        }
        if (configuration.DefaultDatabase != 0)
        {
            steps.Add(($"SELECT {configuration.DefaultDatabase}", Send(["SELECT", configuration.DefaultDatabase]), true));
        }
        if (configuration.ClientName is not null)
        {
            // Naming the connection is a courtesy to operators; servers that forbid it still serve us.
            steps.Add(("CLIENT SETNAME", Send(["CLIENT", "SETNAME", configuration.ClientName]), false));
        }

        foreach (var (name, reply, required) in steps)
        {
            var result = await reply.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsError && required)
            {
                throw new RedisConnectionException($"Redis {Endpoint} rejected {name}: {result.AsString()}");
            }
        }

        Task<RedisResult> Send(RedisArg[] args) =>
            TrySend(args, asking: false, CancellationToken.None)?.Observed()
            ?? throw new RedisConnectionException($"Redis {Endpoint} closed the connection during the handshake.");
    }
}
