using System.Collections.Frozen;
using System.Threading.Channels;
using Pulse.Core.Caching;

namespace Pulse.Core.Access;

/// <summary>
/// Every key's hash in memory, so checking a key costs a SHA-256 and a dictionary lookup, never a database round
/// trip. The snapshot is reloaded whole (keys are few) by the host's refresher (<see cref="RefreshAsync"/>): at once
/// when any instance changes a key (<see cref="ISharedCache"/> invalidation, Redis pub/sub in server mode, wakes
/// <see cref="WaitForChangeAsync"/>), and on a timer, which also covers a missed message and a key changed by the
/// command line in another process. The invalidation only wakes the refresher, never reads the database itself: a
/// read started from a subscriber's thread could outlive the host. Until the first load nothing is open: no key is
/// known and <see cref="IsOpen"/> is false.
/// </summary>
public sealed class ApiKeyRegistry
{
    /// <summary>The name the shared cache broadcasts a change of any key under.</summary>
    public const string ChangedKey = "apikeys:changed";

    /// <summary>A key's last use is written at most this often.</summary>
    public static readonly TimeSpan UseRecordingInterval = TimeSpan.FromMinutes(1);

    private readonly IApiKeyStore _store;
    private readonly SecretHash? _bootstrap;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly Channel<(long Id, DateTimeOffset At)> _uses =
        Channel.CreateBounded<(long, DateTimeOffset)>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private Snapshot _snapshot = Snapshot.NotLoaded;

    public ApiKeyRegistry(IApiKeyStore store, ISharedCache shared, string? bootstrapAdminKey)
    {
        _store = store;
        _bootstrap = string.IsNullOrEmpty(bootstrapAdminKey) ? null : SecretHash.Of(bootstrapAdminKey);
        shared.OnInvalidated(key =>
        {
            if (key == ChangedKey)
            {
                Changed();
            }
        });
    }

    /// <summary>
    /// True while no key was ever created and no bootstrap key is set: requests then need no key (the host decides
    /// whether it may serve open at all, see protected mode). A revoked key still counts: revoking the last key does
    /// not open the service again.
    /// </summary>
    public bool IsOpen => _bootstrap is null && _snapshot is { Loaded: true, AnyKey: false };

    /// <summary>Uses to record (key id, time), at most one per key per <see cref="UseRecordingInterval"/>.</summary>
    public ChannelReader<(long Id, DateTimeOffset At)> Uses => _uses.Reader;

    public KeyCheck Check(ReadOnlySpan<char> secret, DateTimeOffset now)
    {
        var hash = SecretHash.Of(secret);
        if (_bootstrap == hash)
        {
            return new KeyCheck(KeyCheckResult.Valid, BootstrapEntry);
        }

        if (!_snapshot.Keys.TryGetValue(hash, out var entry))
        {
            return new KeyCheck(KeyCheckResult.Unknown, null);
        }

        if (entry.Key.RevokedAt is not null)
        {
            return new KeyCheck(KeyCheckResult.Revoked, entry);
        }

        if (entry.Key.ExpiresAt <= now)
        {
            return new KeyCheck(KeyCheckResult.Expired, entry);
        }

        RecordUse(entry, now);
        return new KeyCheck(KeyCheckResult.Valid, entry);
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var stored = await _store.ListAsync(cancellationToken);
            var previous = _snapshot.Keys;
            var keys = new Dictionary<SecretHash, ApiKeyEntry>(stored.Count);
            foreach (var (key, hash) in stored)
            {
                // The entry (and what the host caches on it) is kept while the key is unchanged.
                keys[hash] = previous.TryGetValue(hash, out var known) && known.Key with { LastUsedAt = key.LastUsedAt } == key
                    ? known
                    : new ApiKeyEntry(key);
            }

            _snapshot = new Snapshot(true, stored.Count > 0, keys.ToFrozenDictionary());
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>Waits until some instance changed a key, or <paramref name="timeout"/> passed; true when a change woke it.</summary>
    public Task<bool> WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _changed.WaitAsync(timeout, cancellationToken);

    private void Changed()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is pending already: one reload covers both changes.
        }
    }

    private void RecordUse(ApiKeyEntry entry, DateTimeOffset now)
    {
        var last = Volatile.Read(ref entry.LastRecordedUseTicks);
        if (now.UtcTicks - last >= UseRecordingInterval.Ticks &&
            Interlocked.CompareExchange(ref entry.LastRecordedUseTicks, now.UtcTicks, last) == last)
        {
            _uses.Writer.TryWrite((entry.Key.Id, now));
        }
    }

    private static readonly ApiKeyEntry BootstrapEntry = new(new ApiKey(0, "bootstrap key (Auth:BootstrapAdminKey)", ApiScopes.Admin, DateTimeOffset.UnixEpoch, null, null, null));

    private sealed record Snapshot(bool Loaded, bool AnyKey, FrozenDictionary<SecretHash, ApiKeyEntry> Keys)
    {
        public static readonly Snapshot NotLoaded = new(false, false, FrozenDictionary<SecretHash, ApiKeyEntry>.Empty);
    }
}

/// <summary>A known key, one object per key while it is unchanged (the host caches what it derives from it).</summary>
public sealed class ApiKeyEntry(ApiKey key)
{
    public ApiKey Key { get; } = key;

    internal long LastRecordedUseTicks = key.LastUsedAt?.UtcTicks ?? 0;
}

public enum KeyCheckResult
{
    Valid,
    Unknown,
    Revoked,
    Expired,
}

public readonly record struct KeyCheck(KeyCheckResult Result, ApiKeyEntry? Entry);
