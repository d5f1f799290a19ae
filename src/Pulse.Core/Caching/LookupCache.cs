using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Pulse.Core.Caching;

/// <summary>
/// Read-through cache of immutable-ish lookups (user by external id, campaign by name or id): an in-process
/// tier in front of the shared tier, filled on miss. Writers call <see cref="InvalidateAsync"/> after they
/// commit, which removes the shared entry and, through the shared cache's broadcast, every instance's memory.
/// Misses are not cached, so an entity created elsewhere is found on the next lookup.
/// </summary>
public sealed class LookupCache<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, T> _memory = new(StringComparer.Ordinal);
    private readonly ISharedCache _shared;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly string _prefix;
    private readonly int _capacity;
    private readonly TimeSpan _sharedTimeToLive;
    private readonly CacheMetrics.Tags _metrics;

    public LookupCache(ISharedCache shared, JsonTypeInfo<T> typeInfo, string prefix, int capacity, TimeSpan sharedTimeToLive)
    {
        _shared = shared;
        _typeInfo = typeInfo;
        _prefix = prefix;
        _capacity = capacity;
        _sharedTimeToLive = sharedTimeToLive;
        _metrics = new CacheMetrics.Tags(prefix.TrimEnd(':').Replace(":ext", "", StringComparison.Ordinal));
        shared.OnInvalidated(OnInvalidated);
    }

    public async ValueTask<T?> GetOrLoadAsync(string id, Func<string, CancellationToken, Task<T?>> load, CancellationToken cancellationToken)
    {
        if (_memory.TryGetValue(id, out var cached))
        {
            _metrics.MemoryHit();
            return cached;
        }

        var key = _prefix + id;
        var bytes = await _shared.GetAsync(key, cancellationToken);
        if (bytes is not null && TryDeserialize(bytes, out var shared))
        {
            _metrics.SharedHit();
            Remember(id, shared);
            return shared;
        }

        _metrics.Missed();
        var loaded = await load(id, cancellationToken);
        if (loaded is not null)
        {
            Remember(id, loaded);
            await _shared.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(loaded, _typeInfo), _sharedTimeToLive, cancellationToken);
        }

        return loaded;
    }

    /// <summary>Writes a freshly committed value through both tiers, so other instances find it in Redis.</summary>
    public ValueTask StoreAsync(string id, T value, CancellationToken cancellationToken)
    {
        Remember(id, value);
        return _shared.SetAsync(_prefix + id, JsonSerializer.SerializeToUtf8Bytes(value, _typeInfo), _sharedTimeToLive, cancellationToken);
    }

    private void Remember(string id, T value)
    {
        // A crude bound: lookups are small and a full clear only costs re-reads from the shared tier.
        if (_memory.Count >= _capacity)
        {
            _memory.Clear();
        }

        _memory[id] = value;
    }

    public ValueTask InvalidateAsync(string id, CancellationToken cancellationToken)
    {
        _memory.TryRemove(id, out _);
        return _shared.InvalidateAsync(_prefix + id, cancellationToken);
    }

    private void OnInvalidated(string key)
    {
        if (key.StartsWith(_prefix, StringComparison.Ordinal))
        {
            _memory.TryRemove(key[_prefix.Length..], out _);
        }
    }

    private bool TryDeserialize(byte[] bytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
    {
        try
        {
            value = JsonSerializer.Deserialize(bytes, _typeInfo);
            return value is not null;
        }
        catch (JsonException)
        {
            // A corrupt or old-format entry is a miss; the database has the truth.
            value = null;
            return false;
        }
    }
}
