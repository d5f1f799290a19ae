using System.Text;
using StackExchange.Redis;

namespace Pulse.Redis;

/// <summary>
/// The process's one Redis connection (standalone, Cluster or Sentinel) and Pulse's key prefix. Every key Pulse writes
/// starts with <see cref="KeyPrefix"/>, so several deployments can share a Redis. The multiplexer reconnects by itself;
/// while a node is unreachable its commands fail at once (see <see cref="RedisConfiguration"/>).
/// </summary>
public sealed class RedisKeyspace(IConnectionMultiplexer connection, string keyPrefix)
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes(keyPrefix);

    public IConnectionMultiplexer Connection { get; } = connection;

    public IDatabase Database { get; } = connection.GetDatabase();

    public string KeyPrefix { get; } = keyPrefix;

    /// <summary>The prefixed key for <paramref name="name"/>.</summary>
    public RedisKey Key(string name) => ((RedisKey)_prefix).Append(name);

    /// <summary>A prefix of Pulse's keys, e.g. <c>Prefix("search:result:"u8)</c>, to <see cref="RedisKey.Append"/> names to.</summary>
    public RedisKey Prefix(ReadOnlySpan<byte> name)
    {
        var key = new byte[_prefix.Length + name.Length];
        _prefix.CopyTo(key, 0);
        name.CopyTo(key.AsSpan(_prefix.Length));
        return key;
    }

    /// <summary>A pub/sub channel of this deployment (channels are not keys, but they share the prefix).</summary>
    public RedisChannel Channel(string name) => RedisChannel.Literal(KeyPrefix + name);
}
