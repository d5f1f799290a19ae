using Pulse.Redis.Resp;

namespace Pulse.Redis;

/// <summary>
/// The process's one Redis connection (standalone or cluster). Connecting never fails on an unreachable
/// Redis: the connection reconnects by itself, and commands fail fast with RedisConnectionException until
/// then, so Pulse starts and serves from its database while Redis is down. Every key Pulse writes starts
/// with <see cref="KeyPrefix"/> (so several deployments can share a Redis).
/// </summary>
public sealed class RedisClient(RedisConfiguration configuration, string keyPrefix) : IAsyncDisposable
{
    private readonly Lazy<Task<RedisConnection>> _connection = new(() => RedisConnection.ConnectAsync(configuration));

    public string KeyPrefix { get; } = keyPrefix;

    public string Key(string name) => KeyPrefix + name;

    public ValueTask<RedisConnection> GetAsync(CancellationToken cancellationToken) =>
        _connection.Value.IsCompletedSuccessfully ? new(_connection.Value.Result) : new(_connection.Value.WaitAsync(cancellationToken));

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}
