using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Pulse.Redis.Resp;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

/// <summary>Every test owns its server, because every test kills it.</summary>
public sealed class OutageTests : IAsyncLifetime
{
    private RedisServer _server = null!;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Pending_commands_fail_with_a_connection_error_as_soon_as_the_server_dies()
    {
        await using var connection = await ConnectAsync();
        var pending = connection.ExecuteAsync(null, ["BLPOP", "outage:never", 0]);
        await Task.Delay(50);
        var stopwatch = Stopwatch.StartNew();

        _server.Kill();

        // WaitAsync keeps a regression from hanging the run: it would surface as a TimeoutException instead.
        await Assert.ThrowsAsync<RedisConnectionException>(() => pending.WaitAsync(TimeSpan.FromSeconds(3)));
        // Long before the 5 s command timeout: the dead socket is noticed, not waited out.
        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 1000);
    }

    [Fact]
    public async Task Commands_fail_fast_while_the_server_is_down()
    {
        await using var connection = await ConnectAsync();
        await connection.PingAsync();
        _server.Kill();
        var stopwatch = Stopwatch.StartNew();

        for (var i = 0; i < 50; i++)
        {
            await Assert.ThrowsAsync<RedisConnectionException>(() => connection.StringGetAsync("outage:key"));
        }

        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 1000);
    }

    [Fact]
    public async Task The_client_uses_the_server_again_once_it_is_back()
    {
        await using var connection = await ConnectAsync();
        await connection.StringSetAsync("outage:key", "before");
        _server.Kill();
        await Assert.ThrowsAsync<RedisConnectionException>(() => connection.StringGetAsync("outage:key"));

        await _server.StartAsync();

        await Eventually.SucceedsAsync(
            async () => await connection.StringSetAsync("outage:key", "after"),
            TimeSpan.FromSeconds(3),
            "a command after the restart");
        Assert.Equal("after", await connection.StringGetAsync("outage:key"));
    }

    [Fact]
    public async Task Connecting_while_Redis_is_down_succeeds_and_commands_work_once_it_starts()
    {
        using var later = RedisServer.OnPort(FreePort.Find());
        var stopwatch = Stopwatch.StartNew();
        await using var connection = await RedisConnection.ConnectAsync(RedisConfiguration.Parse($"{later.Endpoint},abortConnect=false"));
        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 1000);
        await Assert.ThrowsAsync<RedisConnectionException>(() => connection.PingAsync());

        await later.StartAsync();

        await Eventually.SucceedsAsync(
            async () => (await connection.ExecuteAsync(null, ["PING"])).AsString() == "PONG",
            TimeSpan.FromSeconds(3),
            "a command once Redis started");
        Assert.False(connection.IsCluster);
    }

    [Fact]
    public async Task A_failing_node_is_not_reconnected_more_often_than_every_250_ms()
    {
        // A peer that accepts and immediately hangs up: every connect attempt is visible as one accept.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = 0;
        using var stop = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var socket = await listener.AcceptSocketAsync(stop.Token);
                Interlocked.Increment(ref accepted);
            }
        });
        await using var connection = await RedisConnection.ConnectAsync(
            RedisConfiguration.Parse($"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port},connectTimeout=1000"));
        var stopwatch = Stopwatch.StartNew();

        while (stopwatch.ElapsedMilliseconds < 600)
        {
            await Assert.ThrowsAsync<RedisConnectionException>(() => connection.PingAsync());
        }

        // ConnectAsync's attempt plus at most one per 250 ms afterwards (elapsed time was ~600 ms + the last attempt).
        Assert.InRange(Volatile.Read(ref accepted), 1, 5);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acceptLoop);
    }

    private Task<RedisConnection> ConnectAsync() =>
        RedisConnection.ConnectAsync(RedisConfiguration.Parse($"{_server.Endpoint},syncTimeout=5000"));
}
