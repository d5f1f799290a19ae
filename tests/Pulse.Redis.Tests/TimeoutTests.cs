using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Pulse.Redis.Resp;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

public sealed class TimeoutTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task A_reply_slower_than_syncTimeout_fails_with_a_timeout()
    {
        await using var connection = await redis.ConnectAsync(",syncTimeout=300");
        var stopwatch = Stopwatch.StartNew();

        // BLPOP with timeout 0 blocks forever on an empty list.
        await Assert.ThrowsAsync<RedisTimeoutException>(() => connection.ExecuteAsync(null, ["BLPOP", TestKeys.Unique("never"), 0]));

        Assert.InRange(stopwatch.ElapsedMilliseconds, 280, 1500);
    }

    [Fact]
    public async Task A_connection_stuck_behind_an_unanswered_command_is_replaced()
    {
        await using var connection = await redis.ConnectAsync(",syncTimeout=300");
        var blocked = connection.ExecuteAsync(null, ["BLPOP", TestKeys.Unique("never"), 0]);
        await Assert.ThrowsAsync<RedisTimeoutException>(() => blocked);

        // Everything queued behind the BLPOP is stuck until the client gives up on the socket and reconnects.
        await Eventually.SucceedsAsync(
            async () => (await connection.ExecuteAsync(null, ["PING"])).AsString() == "PONG",
            TimeSpan.FromSeconds(3),
            "a command on a fresh connection");
    }

    [Fact]
    public async Task A_peer_that_never_answers_the_handshake_fails_within_connectTimeout()
    {
        using var silent = SilentListener(out var port);
        var stopwatch = Stopwatch.StartNew();
        await using var connection = await RedisConnection.ConnectAsync(
            RedisConfiguration.Parse($"127.0.0.1:{port},password=x,connectTimeout=300,syncTimeout=5000"));

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => connection.ExecuteAsync(null, ["PING"]));

        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        // ConnectAsync's discovery and the command's own attempt each took one connect timeout; neither hung.
        Assert.InRange(stopwatch.ElapsedMilliseconds, 250, 2000);
    }

    [Fact]
    public async Task A_peer_that_accepts_commands_but_never_answers_fails_within_syncTimeout()
    {
        using var silent = SilentListener(out var port);
        // name= (empty) skips CLIENT SETNAME, so connecting needs no reply at all.
        await using var connection = await RedisConnection.ConnectAsync(
            RedisConfiguration.Parse($"127.0.0.1:{port},name=,connectTimeout=300,syncTimeout=300"));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<RedisException>(() => connection.ExecuteAsync(null, ["PING"]));

        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 1500);
    }

    /// <summary>A TCP listener that never accepts: the kernel completes connections, nobody ever replies.</summary>
    private static TcpListener SilentListener(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
