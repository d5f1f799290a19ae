using Microsoft.Extensions.Options;
using Pulse.Core.Caching;
using Pulse.Core.Lifecycle;
using Pulse.Core.Posts;
using Pulse.Core.Users;

namespace Pulse.Api.Lifecycle;

internal static class LifecycleRegistration
{
    /// <summary>Erasure and suppression (docs/lifecycle.md). The store comes from the storage adapter.</summary>
    public static void AddPulseLifecycle(this IServiceCollection services)
    {
        services.AddOptions<ErasureOptions>().BindConfiguration(ErasureOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ErasureOptions>, ErasureOptionsValidator>();
        services.AddSingleton(sp => new Suppressions(sp.GetRequiredService<IErasureStore>(), sp.GetRequiredService<ISharedCache>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ErasureOptions>>().Value;
            return new ErasureService(
                sp.GetRequiredService<IErasureStore>(),
                sp.GetRequiredService<Suppressions>(),
                sp.GetRequiredService<LookupCache<User>>(),
                sp.GetRequiredService<IRecentKeywords>(),
                sp.GetRequiredService<ISearchResultEviction>(),
                new ErasureSettings(options.ChunkSize, options.InlineLimit),
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ErasureWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ErasureWorker>());
        services.AddHostedService<SuppressionRefresher>();
    }
}
