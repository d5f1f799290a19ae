using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Pulse.Redis.Tests.Infrastructure;

/// <summary>
/// A Pulse instance's Redis for one test: its own multiplexer, configured the way Pulse configures it, and a key prefix
/// no other test uses (unless given, to play a second instance of the same deployment). Captures what the adapters log.
/// </summary>
public sealed class TestKeyspace : IAsyncDisposable
{
    private TestKeyspace(RedisKeyspace keyspace) => Keyspace = keyspace;

    public RedisKeyspace Keyspace { get; }

    public IDatabase Database => Keyspace.Database;

    public TestLogs Logs { get; } = new();

    public static async Task<TestKeyspace> ConnectAsync(string configuration, string? keyPrefix = null) =>
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
