using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Pulse.Core.Posts;

namespace Pulse.Api.Posts;

internal static class PostsRegistration
{
    public static void AddPulsePosts(this IServiceCollection services)
    {
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, PostsJsonContext.Default));
        services.AddOptions<SearchCacheOptions>().BindConfiguration(SearchCacheOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SearchCacheOptions>, SearchCacheOptionsValidator>();

        services.AddSingleton<IPostsDiagnostics, LoggingPostsDiagnostics>();
        services.AddSingleton(sp => new CachedPostSearch(
            new MeteredPostSearchStore(sp.GetRequiredService<IPostSearchStore>(), sp.GetRequiredService<IMeterFactory>()),
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
