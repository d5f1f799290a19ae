using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Pulse.Api.Infrastructure;
using Pulse.Core;
using Pulse.Core.Pipeline;
using Pulse.Core.Tracking;
using Pulse.Postgres;
using Pulse.Postgres.Tracking;
using Pulse.Sqlite;
using Pulse.Sqlite.Tracking;

namespace Pulse.Api.Tracking;

internal static class TrackingRegistration
{
    /// <summary>
    /// Tracked events, counters and statistics. Embedded: counts are written with their events in one SQLite
    /// transaction. Server: counts go to Redis buckets that a roll-up job on every instance moves into PostgreSQL.
    /// </summary>
    public static void AddPulseTracking(this IServiceCollection services, StorageOptions storage)
    {
        services.Configure<JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, TrackingJsonContext.Default));
        services.AddOptions<TrackingOptions>().BindConfiguration(TrackingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrackingOptions>, TrackingOptionsValidator>();

        if (storage.IsServerMode)
        {
            services.AddSingleton(new SchemaScripts(StorageRegistration.Postgres, PostgresTrackingSchema.Scripts));
            services.AddSingleton<ITrackedEventStore>(sp => new PostgresTrackedEventStore(sp.GetRequiredService<PostgresWriteDataSource>()));
            services.AddSingleton<IStatisticsStore>(sp => new PostgresStatisticsStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<IRollupStore>(sp => new PostgresRollupStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.TryAddSingleton<IRollupFaults, NoRollupFaults>();
            services.AddSingleton(sp => new RollupService(
                sp.GetRequiredService<IRollupStore>(),
                sp.GetRequiredService<ILiveCounters>(),
                sp.GetRequiredService<IRollupFaults>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<TrackingOptions>>().Value.RollupGrace));
            services.AddSingleton<RollupMonitor>();
            services.AddHostedService<RollupJob>();
        }
        else
        {
            services.AddSingleton(new SchemaScripts(StorageRegistration.Sqlite, SqliteTrackingSchema.Scripts));
            services.AddSingleton<ITrackedEventStore>(sp => new SqliteTrackedEventStore(sp.GetRequiredService<SqliteDatabase>()));
            services.AddSingleton<IStatisticsStore>(sp => new SqliteStatisticsStore(sp.GetRequiredService<SqliteDatabase>()));
        }

        services.AddSingleton(sp => new TrackedEventRecorder(
            sp.GetRequiredService<ITrackedEventStore>(), sp.GetService<ILiveCounters>(), sp.GetRequiredService<GroupCommitOptions>()));
        services.AddSingleton<ITrackedEventRecorder>(sp => sp.GetRequiredService<TrackedEventRecorder>());
        services.AddSingleton<IWritePipeline>(sp => sp.GetRequiredService<TrackedEventRecorder>());
        services.AddSingleton(sp => new TrackingService(sp.GetRequiredService<ITrackedEventRecorder>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new StatisticsService(
            sp.GetRequiredService<IStatisticsStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILiveCounters>()));
    }
}
