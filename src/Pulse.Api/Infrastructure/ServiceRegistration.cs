using Microsoft.Extensions.Options;
using Pulse.Core.Caching;
using Pulse.Core.Campaigns;
using Pulse.Core.Events;
using Pulse.Core.Pipeline;
using Pulse.Core.Users;

namespace Pulse.Api.Infrastructure;

internal static class ServiceRegistration
{
    // Lookups are tiny and immutable in what events need (ids), so a generous bound is cheap.
    private const int LookupCapacity = 100_000;
    private static readonly TimeSpan SharedLookupTtl = TimeSpan.FromHours(1);

    public static void AddPulseDomain(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        AddPipelineOptions(services);
        services.AddSingleton(sp => new LookupCache<User>(
            sp.GetRequiredService<ISharedCache>(), CoreJsonContext.Default.User, "user:ext:", LookupCapacity, SharedLookupTtl));
        services.AddSingleton(sp => new CampaignCache(
            new LookupCache<Campaign>(sp.GetRequiredService<ISharedCache>(), CoreJsonContext.Default.Campaign, "campaign:name:", LookupCapacity, SharedLookupTtl),
            new LookupCache<Campaign>(sp.GetRequiredService<ISharedCache>(), CoreJsonContext.Default.Campaign, "campaign:id:", LookupCapacity, SharedLookupTtl)));
        services.AddSingleton<UserService>();
        services.AddSingleton<CampaignService>();
        services.AddSingleton(sp => new GroupCommitEventWriter(
            sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<GroupCommitOptions>(), sp.GetService<ICommitDurability>()));
        services.AddSingleton<IEventWriter>(sp => sp.GetRequiredService<GroupCommitEventWriter>());
        services.AddSingleton<IWritePipeline>(sp => sp.GetRequiredService<GroupCommitEventWriter>());
        services.AddHostedService<PipelineDrain>();
        services.AddSingleton<EventService>();
    }

    /// <summary>
    /// The group-commit queues' settings: section <c>Pipeline</c> (Writers, ConcurrentCommitMinEvents, QueueCapacity,
    /// MaxBatchEvents). The store's adapter sets the default number of writers; configuration overrides it.
    /// </summary>
    private static void AddPipelineOptions(IServiceCollection services)
    {
        services.AddOptions<GroupCommitOptions>().BindConfiguration("Pipeline").ValidateOnStart();
        services.AddSingleton<IValidateOptions<GroupCommitOptions>, GroupCommitOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<GroupCommitOptions>>().Value);
    }
}
