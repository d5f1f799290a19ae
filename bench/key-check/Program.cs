// bench/key-check: the CPU a request with a key costs beyond an open one, in-process and single-threaded, so the
// figure does not depend on how busy the machine is the way a throughput A/B does. What differs between the two
// requests is exactly this: reading the Authorization header, SHA-256 of the secret and a lookup among the keys
// (ApiKeyRegistry.Check); authentication, authorization and rate limiting run for open requests as well.
// Usage: dotnet run -c Release --project bench/key-check [keys=100] [iterations=2000000]
using System.Diagnostics;
using Pulse.Core.Access;
using Pulse.Core.Caching;

var keyCount = args.Length > 0 ? int.Parse(args[0]) : 100;
var iterations = args.Length > 1 ? int.Parse(args[1]) : 2_000_000;
var store = new Store(keyCount);
var registry = new ApiKeyRegistry(store, new NoSharedCache(), null);
await registry.RefreshAsync(CancellationToken.None);
var header = "Bearer " + store.Secrets[keyCount / 2];
var now = DateTimeOffset.UtcNow;

var runs = new List<double>();
for (var run = 0; run < 7; run++)
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var valid = 0;
    for (var i = 0; i < iterations; i++)
    {
        var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header.AsSpan(7).Trim() : default;
        valid += registry.Check(secret, now).Result == KeyCheckResult.Valid ? 1 : 0;
    }

    var ns = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalNanoseconds / iterations;
    if (run > 1)
    {
        runs.Add(ns); // the first two runs warm up the JIT's tiers
    }

    Console.WriteLine($"run {run}: {ns:F0} ns of CPU per check ({valid} valid)");
}

runs.Sort();
Console.WriteLine($"median of {runs.Count}: {runs[runs.Count / 2]:F0} ns per request with a key ({keyCount} keys known)");

sealed class Store : IApiKeyStore
{
    private readonly List<StoredApiKey> _keys = [];

    public Store(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            var secret = ApiKeySecrets.Generate(ApiScopes.Ingest);
            Secrets.Add(secret);
            _keys.Add(new StoredApiKey(new ApiKey(i, "k" + i, ApiScopes.Ingest, DateTimeOffset.UtcNow, null, null, null), SecretHash.Of(secret)));
        }
    }

    public List<string> Secrets { get; } = [];

    public Task<ApiKey> CreateAsync(string name, ApiScopes scopes, SecretHash hash, DateTimeOffset createdAt, DateTimeOffset? expiresAt, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StoredApiKey>>(_keys);

    public Task<bool> RevokeAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task TouchAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;
}
