using Microsoft.Extensions.Options;
using Pulse.Api.Infrastructure;
using Pulse.Core;
using Pulse.Core.Posts;
using Pulse.Postgres.Posts;
using Pulse.Sqlite.Posts;

namespace Pulse.Api.Posts;

internal static class PostsRegistration
{
    public static void AddPulsePosts(this IServiceCollection services, StorageOptions storage)
    {
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, PostsJsonContext.Default));
        services.AddOptions<SearchCacheOptions>().BindConfiguration(SearchCacheOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SearchCacheOptions>, SearchCacheOptionsValidator>();

        if (storage.IsServerMode)
        {
            services.AddSingleton(new SchemaScripts(StorageRegistration.Postgres, PostgresPostsSchema.Scripts));
            services.AddSingleton<IPostStore, PostgresPostStore>();
            services.AddSingleton(sp => new CountingPostSearchStore(ActivatorUtilities.CreateInstance<PostgresPostSearchStore>(sp)));
        }
        else
        {
            services.AddSingleton(new SchemaScripts(StorageRegistration.Sqlite, SqlitePostsSchema.Scripts));
            services.AddSingleton<IPostStore, SqlitePostStore>();
            services.AddSingleton(sp => new CountingPostSearchStore(ActivatorUtilities.CreateInstance<SqlitePostSearchStore>(sp)));
            services.AddSingleton<ISearchResultCache>(sp => new InMemorySearchResultCache(sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IRecentKeywords>(sp => new InMemoryRecentKeywords(sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton<IPostSearchStore>(sp => sp.GetRequiredService<CountingPostSearchStore>());
        services.AddSingleton<IPostsDiagnostics, LoggingPostsDiagnostics>();
        services.AddSingleton(sp => new CachedPostSearch(
            sp.GetRequiredService<IPostSearchStore>(),
            sp.GetRequiredService<ISearchResultCache>(),
            sp.GetRequiredService<IOptions<SearchCacheOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PostService>();
        services.AddSingleton<PostSearchService>();
    }
}

internal sealed class SearchCacheOptionsValidator : IValidateOptions<SearchCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, SearchCacheOptions options)
    {
        var failures = new List<string>();
        if (options.LockWait < TimeSpan.Zero || options.LockWait > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{SearchCacheOptions.Section}:LockWait must be between 00:00:00 and 00:00:30 (got {options.LockWait}).");
        }

        if (options.LockLease <= TimeSpan.Zero || options.LockLease > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{SearchCacheOptions.Section}:LockLease must be positive and at most 00:05:00 (got {options.LockLease}).");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{SearchCacheOptions.Section}:PollInterval must be positive, e.g. 00:00:00.020 (got {options.PollInterval}).");
        }

        if (options.EarlyRefreshBeta is <= 0 or > 100 || double.IsNaN(options.EarlyRefreshBeta))
        {
            failures.Add($"{SearchCacheOptions.Section}:EarlyRefreshBeta must be greater than 0 and at most 100 (got {options.EarlyRefreshBeta}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
