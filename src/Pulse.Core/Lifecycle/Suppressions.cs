using System.Collections.Frozen;
using Pulse.Core.Caching;

namespace Pulse.Core.Lifecycle;

/// <summary>
/// Every suppressed external id (and the erased user's numeric id, which the tracker's and posts' <c>userId</c> name)
/// in memory, so refusing an ingestion costs a set lookup, never a database round trip; with no suppression it is one
/// field read. Reloaded whole when any instance announces a change (the shared cache's invalidation, Redis pub/sub in
/// server mode, wakes <see cref="WaitForChangeAsync"/>) and when the store's version changed (polled by the host), which
/// also covers a missed message. This instance's own changes apply at once.
/// </summary>
public sealed class Suppressions
{
    /// <summary>The name the shared cache broadcasts a change of any suppression under.</summary>
    public const string ChangedKey = "suppressions:changed";

    private readonly IErasureStore _store;
    private readonly ISharedCache _shared;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly SemaphoreSlim _changed = new(0, 1);
    private Snapshot _snapshot = Snapshot.Empty;

    public Suppressions(IErasureStore store, ISharedCache shared)
    {
        _store = store;
        _shared = shared;
        shared.OnInvalidated(key =>
        {
            if (key == ChangedKey)
            {
                Changed();
            }
        });
    }

    public int Count => _snapshot.ExternalIds.Count;

    public bool IsSuppressed(string? externalId)
    {
        var snapshot = _snapshot;
        return snapshot.ExternalIds.Count != 0 && externalId is not null && snapshot.ExternalIds.Contains(externalId);
    }

    /// <summary>Whether the tracker's / posts' numeric user id is an erased and suppressed user's id.</summary>
    public bool IsSuppressed(long? userId)
    {
        var snapshot = _snapshot;
        return snapshot.UserIds.Count != 0 && userId is { } id && snapshot.UserIds.Contains(id);
    }

    /// <summary>Reloads when the store's version differs from the one loaded (or always, with <paramref name="force"/>).</summary>
    public async Task RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var version = await _store.SuppressionsVersionAsync(cancellationToken);
            if (!force && version == _snapshot.Version)
            {
                return;
            }

            var all = await _store.SuppressionsAsync(cancellationToken);
            _snapshot = Snapshot.Of(all, version);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>Applies a suppression this instance just committed (reloaded here at once), then tells the others.</summary>
    public async Task AddedAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(force: true, cancellationToken);
        await _shared.InvalidateAsync(ChangedKey, cancellationToken);
    }

    /// <summary>Lifts a suppression: stored, applied here at once, announced to the others.</summary>
    public async Task<bool> LiftAsync(string externalId, CancellationToken cancellationToken)
    {
        var lifted = await _store.LiftSuppressionAsync(externalId, cancellationToken);
        await RefreshAsync(force: true, cancellationToken);
        await _shared.InvalidateAsync(ChangedKey, cancellationToken);
        return lifted;
    }

    public Task<IReadOnlyList<Suppression>> ListAsync(CancellationToken cancellationToken) => _store.SuppressionsAsync(cancellationToken);

    /// <summary>Waits until some instance changed a suppression, or <paramref name="timeout"/> passed.</summary>
    public Task<bool> WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => _changed.WaitAsync(timeout, cancellationToken);

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

    private sealed record Snapshot(FrozenSet<string> ExternalIds, FrozenSet<long> UserIds, (long, long) Version)
    {
        public static readonly Snapshot Empty = new(FrozenSet<string>.Empty, FrozenSet<long>.Empty, (-1, -1));

        public static Snapshot Of(IReadOnlyList<Suppression> all, (long, long) version) => new(
            all.Select(s => s.ExternalId).ToFrozenSet(StringComparer.Ordinal),
            all.Where(s => s.UserId is not null).Select(s => s.UserId!.Value).ToFrozenSet(),
            version);
    }
}
