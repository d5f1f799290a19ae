namespace Pulse.Core.Caching;

/// <summary>
/// A cache shared by every instance (Redis in server mode). Implementations never throw for an unavailable
/// backend: a read then reports a miss and a write is skipped, so callers fall back to the database.
/// </summary>
public interface ISharedCache
{
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Removes the key and tells every instance (including this one) to drop it from memory.</summary>
    ValueTask InvalidateAsync(string key, CancellationToken cancellationToken);

    /// <summary>Registers a callback for keys invalidated by any instance.</summary>
    void OnInvalidated(Action<string> handler);
}

/// <summary>Embedded mode: there is only one instance, so the in-memory tier is the whole cache.</summary>
public sealed class NoSharedCache : ISharedCache
{
    private Action<string>? _handlers;

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult<byte[]?>(null);

    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        _handlers?.Invoke(key);
        return ValueTask.CompletedTask;
    }

    public void OnInvalidated(Action<string> handler) => _handlers += handler;
}
