using Microsoft.Extensions.Options;
using Pulse.Api.Tracking;
using Pulse.Core.Caching;
using Pulse.Core.Posts;
using Pulse.Postgres;
using Pulse.Redis;
using Pulse.Sqlite;

namespace Pulse.Api.Infrastructure;

internal static class StorageRegistration
{
    /// <summary>
    /// The one place the host chooses its stores. Each adapter registers everything it provides for every feature
    /// (stores, schema, readiness checks); features register Core services only.
    /// </summary>
    public static void AddPulseStorage(this IServiceCollection services, StorageOptions options, string redisKeyPrefix)
    {
        if (options.IsServerMode)
        {
            services.AddPulsePostgres(options.Postgres!);
            services.AddPulseRedis(options.Redis!, redisKeyPrefix, sp => sp.GetRequiredService<IOptions<TrackingOptions>>().Value.BucketRetention);
        }
        else
        {
            services.AddPulseSqlite(options.Sqlite);
            services.AddPulseInProcessCaches();
        }
    }

    /// <summary>Embedded mode has one process, so its caches and recent keywords live in memory.</summary>
    private static void AddPulseInProcessCaches(this IServiceCollection services)
    {
        services.AddSingleton<ISharedCache, NoSharedCache>();
        services.AddSingleton(sp => new InMemorySearchResultCache(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISearchResultCache>(sp => sp.GetRequiredService<InMemorySearchResultCache>());
        services.AddSingleton<ISearchResultEviction>(sp => sp.GetRequiredService<InMemorySearchResultCache>());
        services.AddSingleton<IRecentKeywords>(sp => new InMemoryRecentKeywords(sp.GetRequiredService<TimeProvider>()));
    }
}
