using Pulse.Redis.Resp;

namespace Pulse.Redis;

/// <summary>
/// The process's one Redis connection (standalone or cluster), opened on first use and re-opened after a
/// failed attempt at most once a second, so Pulse starts and serves from its database while Redis is down.
/// Every key Pulse writes starts with <see cref="KeyPrefix"/> (so several deployments can share a Redis).
/// </summary>
public sealed class RedisClient(RedisConfiguration configuration, string keyPrefix) : IAsyncDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private RedisConnection? _connection;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;

    public string KeyPrefix { get; } = keyPrefix;

    public string Key(string name) => KeyPrefix + name;

    /// <exception cref="RedisConnectionException">Redis cannot be reached right now.</exception>
    public async ValueTask<RedisConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } connected)
        {
            return connected;
        }

        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { } raced)
            {
                return raced;
            }

            if (DateTimeOffset.UtcNow < _nextAttempt)
            {
                throw new RedisConnectionException("Redis was unreachable moments ago; not retrying yet.");
            }

            try
            {
                _connection = await RedisConnection.ConnectAsync(configuration, cancellationToken);
                return _connection;
            }
            catch (RedisException)
            {
                _nextAttempt = DateTimeOffset.UtcNow + RetryInterval;
                throw;
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connectLock.Dispose();
    }
}
