using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Pulse.Redis.Tests.Infrastructure;

/// <summary>
/// A Pulse instance's Redis for one test: its own multiplexer, configured the way Pulse configures it, and a key prefix
/// no other test uses (unless given, to play a second instance of the same deployment). Captures what the adapters log.
/// </summary>
public sealed class TestKeyspace : IAsyncDisposable
{
    /// <summary>Connect and command timeouts a busy machine does not reach (the configuration string's own win over Pulse's defaults).</summary>
    private const string PatientTimeouts = ",connectTimeout=30000,syncTimeout=30000,asyncTimeout=30000";

    private TestKeyspace(RedisKeyspace keyspace) => Keyspace = keyspace;

    public RedisKeyspace Keyspace { get; }

    public IDatabase Database => Keyspace.Database;

    public TestLogs Logs { get; } = new();

    /// <summary>
    /// Connects for a test of what the adapters store and read: Pulse's configuration, but with 30 s timeouts instead of
    /// 1 s. On a busy machine a command now and then takes over a second, and with Pulse's timeouts the adapter would
    /// (rightly) report it as a miss or a skip, failing a test that is not about timeouts.
    /// </summary>
    public static Task<TestKeyspace> ConnectAsync(string configuration, string? keyPrefix = null) =>
        ConnectWithPulseTimeoutsAsync(configuration + PatientTimeouts, keyPrefix);

    /// <summary>Connects with Pulse's own timeouts (1 s): for the tests of what happens when Redis is down or dies.</summary>
    public static async Task<TestKeyspace> ConnectWithPulseTimeoutsAsync(string configuration, string? keyPrefix = null) =>
        new(new RedisKeyspace(
            await ConnectionMultiplexer.ConnectAsync(RedisConfiguration.Parse(configuration)),
            keyPrefix ?? TestKeys.Unique("pulse") + ":"));

    public ILogger<T> Logger<T>() => Logs.For<T>();

    public async ValueTask DisposeAsync() => await Keyspace.Connection.DisposeAsync();
}

/// <summary>Every message the adapters logged, in order.</summary>
public sealed class TestLogs
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public ILogger<T> For<T>() => new Logger<T>(this);

    private void Add(string message)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }
    }

    private sealed class Logger<T>(TestLogs logs) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
