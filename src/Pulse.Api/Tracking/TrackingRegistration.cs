using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Pulse.Core.Pipeline;
using Pulse.Core.Tracking;

namespace Pulse.Api.Tracking;

internal static class TrackingRegistration
{
    /// <summary>
    /// Tracked events, counters and statistics. Where the store counts in the transaction that stores the events
    /// (SQLite), that is all; where an adapter provides live counters outside the database (Redis), a roll-up job on
    /// every instance moves finished buckets into the database.
    /// </summary>
    public static void AddPulseTracking(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, TrackingJsonContext.Default));
        services.AddOptions<TrackingOptions>().BindConfiguration(TrackingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrackingOptions>, TrackingOptionsValidator>();

        // Registered by the storage adapters, which the host adds first.
        if (services.Any(d => d.ServiceType == typeof(ILiveCounters)))
        {
            services.AddSingleton(sp => new RollupService(
                sp.GetRequiredService<IRollupStore>(),
                sp.GetRequiredService<ILiveCounters>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<TrackingOptions>>().Value.RollupGrace));
            services.AddSingleton<RollupMonitor>();
            services.AddHostedService<RollupJob>();
        }

        services.AddSingleton(sp => new TrackedEventRecorder(
            sp.GetRequiredService<ITrackedEventStore>(), sp.GetService<ILiveCounters>(), sp.GetRequiredService<GroupCommitOptions>(),
            sp.GetService<ICommitDurability>()));
        services.AddSingleton<ITrackedEventRecorder>(sp => sp.GetRequiredService<TrackedEventRecorder>());
        services.AddSingleton<IWritePipeline>(sp => sp.GetRequiredService<TrackedEventRecorder>());
        services.AddSingleton(sp => new TrackingService(sp.GetRequiredService<ITrackedEventRecorder>(), sp.GetRequiredService<Pulse.Core.Lifecycle.Suppressions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new StatisticsService(
            sp.GetRequiredService<IStatisticsStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILiveCounters>()));
    }
}
