using Pulse.Core.Access;
using Pulse.Core.Caching;

namespace Pulse.Core.Tests;

/// <summary>The registry's own rules, over keys held in a list (the stores are tested against SQLite and PostgreSQL).</summary>
public sealed class ApiKeyRegistryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_keys_use_is_recorded_at_most_once_a_minute()
    {
        var store = new ListStore();
        var secret = store.Add(ApiScopes.Read);
        var registry = new ApiKeyRegistry(store, new NoSharedCache(), null);
        await registry.RefreshAsync(CancellationToken.None);

        foreach (var seconds in new[] { 0, 1, 30, 59, 60, 61, 119, 120 })
        {
            Assert.Equal(KeyCheckResult.Valid, registry.Check(secret, Now.AddSeconds(seconds)).Result);
        }

        var uses = new List<DateTimeOffset>();
        while (registry.Uses.TryRead(out var use))
        {
            uses.Add(use.At);
        }

        Assert.Equal([Now, Now.AddSeconds(60), Now.AddSeconds(120)], uses);
    }

    [Fact]
    public async Task Revoked_expired_and_unknown_keys_are_told_apart_and_only_valid_ones_count_as_used()
    {
        var store = new ListStore();
        var revoked = store.Add(ApiScopes.Admin, revokedAt: Now.AddDays(-1));
        var expiring = store.Add(ApiScopes.Ingest, expiresAt: Now.AddMinutes(5));
        var registry = new ApiKeyRegistry(store, new NoSharedCache(), null);
        await registry.RefreshAsync(CancellationToken.None);

        Assert.Equal(KeyCheckResult.Revoked, registry.Check(revoked, Now).Result);
        Assert.Equal(KeyCheckResult.Valid, registry.Check(expiring, Now.AddMinutes(5).AddTicks(-1)).Result);
        Assert.Equal(KeyCheckResult.Expired, registry.Check(expiring, Now.AddMinutes(5)).Result);
        Assert.Equal(KeyCheckResult.Unknown, registry.Check("pk_admin_" + new string('x', 43), Now).Result);
        Assert.True(registry.Uses.TryRead(out var use) && use.Id == 2);
        Assert.False(registry.Uses.TryRead(out _));
    }

    [Fact]
    public async Task The_service_is_open_only_after_loading_no_key_and_without_a_bootstrap_key()
    {
        var store = new ListStore();
        var open = new ApiKeyRegistry(store, new NoSharedCache(), null);
        var bootstrapped = new ApiKeyRegistry(store, new NoSharedCache(), "a-bootstrap-key-of-at-least-32-characters");
        Assert.False(open.IsOpen); // not loaded yet: closed

        await open.RefreshAsync(CancellationToken.None);
        await bootstrapped.RefreshAsync(CancellationToken.None);
        Assert.True(open.IsOpen);
        Assert.False(bootstrapped.IsOpen);
        Assert.Equal(KeyCheckResult.Valid, bootstrapped.Check("a-bootstrap-key-of-at-least-32-characters", Now).Result);
        Assert.True(bootstrapped.Check("a-bootstrap-key-of-at-least-32-characters", Now).Entry!.Key.Scopes.Covers(ApiScopes.Admin));

        store.Add(ApiScopes.Read, revokedAt: Now); // a revoked key still closes the service
        await open.RefreshAsync(CancellationToken.None);
        Assert.False(open.IsOpen);
    }

    [Fact]
    public async Task A_change_announced_by_any_instance_wakes_the_refresher()
    {
        var shared = new NoSharedCache();
        var registry = new ApiKeyRegistry(new ListStore(), shared, null);

        Assert.False(await registry.WaitForChangeAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None));
        await shared.InvalidateAsync("user:ext:someone", CancellationToken.None);
        Assert.False(await registry.WaitForChangeAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None));
        await shared.InvalidateAsync(ApiKeyRegistry.ChangedKey, CancellationToken.None);
        await shared.InvalidateAsync(ApiKeyRegistry.ChangedKey, CancellationToken.None);
        Assert.True(await registry.WaitForChangeAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None));
        Assert.False(await registry.WaitForChangeAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None)); // two changes, one reload
    }

    private sealed class ListStore : IApiKeyStore
    {
        private readonly List<StoredApiKey> _keys = [];

        public string Add(ApiScopes scopes, DateTimeOffset? expiresAt = null, DateTimeOffset? revokedAt = null)
        {
            var secret = ApiKeySecrets.Generate(scopes);
            _keys.Add(new StoredApiKey(new ApiKey(_keys.Count + 1, "k" + _keys.Count, scopes, Now.AddDays(-7), expiresAt, null, revokedAt), SecretHash.Of(secret)));
            return secret;
        }

        public Task<ApiKey> CreateAsync(string name, ApiScopes scopes, SecretHash hash, DateTimeOffset createdAt, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StoredApiKey>>([.. _keys]);

        public Task<bool> RevokeAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task TouchAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
