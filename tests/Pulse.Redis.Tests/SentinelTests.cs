using System.Diagnostics;
using System.Globalization;
using Pulse.Core.Tracking;
using Pulse.Redis.Tests.Infrastructure;
using Pulse.Redis.Tracking;

namespace Pulse.Redis.Tests;

/// <summary>A configuration string that names a Sentinel and its service (<c>serviceName=</c>) reaches the master behind it.</summary>
public sealed class SentinelTests
{
    [Fact]
    public async Task Counting_through_a_sentinel_configuration_writes_to_the_master_it_names()
    {
        using var master = await RedisServer.StartAsync();
        await using var sentinel = await Sentinel.StartAsync(master);
        await using var redis = await TestKeyspace.ConnectAsync($"{sentinel.Endpoint},serviceName=pulse-test");
        var counters = new RedisLiveCounters(redis.Keyspace, TimeSpan.FromHours(3), redis.Logger<RedisLiveCounters>());
        var minute = new DateTimeOffset(2026, 11, 21, 6, 52, 0, TimeSpan.Zero);

        await Eventually.SucceedsAsync(
            async () => (await counters.CountAsync([new(TrackedEventType.Click, minute, new CounterMember(3), 1, 0)], default)).Count == 0,
            Eventually.Patience,
            "a count through the sentinel's master");

        var key = CounterKeys.Name(redis.Keyspace, TrackedEventType.Click, minute).ToString();
        Assert.Equal("1", await RedisCli.RunAsync(master.Host, master.Port, "ZSCORE", key, "component:3"));
    }

    /// <summary>A redis-server in Sentinel mode (it needs a config file it can rewrite) watching one master, killed by its Process.</summary>
    private sealed class Sentinel : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _directory;

        private Sentinel(Process process, string directory, int port) => (_process, _directory, Endpoint) = (process, directory, $"127.0.0.1:{port}");

        public string Endpoint { get; }

        public static async Task<Sentinel> StartAsync(RedisServer master)
        {
            var directory = Directory.CreateTempSubdirectory("pulse-sentinel-test-").FullName;
            var port = FreePort.Find();
            var config = Path.Combine(directory, "sentinel.conf");
            await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
                port {port}
                bind 127.0.0.1
                dir {directory}
                logfile {Path.Combine(directory, "sentinel.log")}
                sentinel monitor pulse-test {master.Host} {master.Port} 1
                """));
            var start = new ProcessStartInfo("redis-server") { UseShellExecute = false };
            start.ArgumentList.Add(config);
            start.ArgumentList.Add("--sentinel");
            var sentinel = new Sentinel(Process.Start(start)!, directory, port);
            try
            {
                await Eventually.SucceedsAsync(
                    async () => (await RedisCli.RunAsync("127.0.0.1", port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "pulse-test")).Contains(master.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
                    Eventually.Patience,
                    "the sentinel answering for its master");
                return sentinel;
            }
            catch
            {
                await sentinel.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the temp directory is harmless.
            }
        }
    }
}
