using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pulse.Core;
using Pulse.Core.Access;
using Pulse.Core.Campaigns;
using Pulse.Core.Events;
using Pulse.Core.Pipeline;
using Pulse.Core.Posts;
using Pulse.Core.Tracking;
using Pulse.Core.Sdk;
using Pulse.Core.Users;
using Pulse.Postgres.Access;
using Pulse.Postgres.Posts;
using Pulse.Postgres.Retention;
using Pulse.Core.Retention;
using Pulse.Postgres.Tracking;
using Pulse.Postgres.Lifecycle;
using Pulse.Core.Lifecycle;
using Pulse.Postgres.Transfer;
using Pulse.Core.Transfer;

namespace Pulse.Postgres;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Everything the server store provides, for every feature: three connection pools (general, writers, searches),
    /// the schema (migrated at start-up), the stores, the roll-up's database side and the readiness check
    /// <c>postgres</c>.
    /// </summary>
    public static IServiceCollection AddPulsePostgres(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => CreateDataSource(connectionString, prepare: true));
        services.AddSingleton(_ => new PostgresWriteDataSource(CreateDataSource(connectionString, prepare: true, serverOptions: "-c plan_cache_mode=force_generic_plan")));
        services.AddSingleton(_ => new PostgresSearchDataSource(CreateDataSource(connectionString, prepare: false, serverOptions: "-c max_parallel_workers_per_gather=0")));
        services.AddSingleton<PostgresMigrator>();
        services.AddSingleton<ISchemaMigrator>(sp => sp.GetRequiredService<PostgresMigrator>());
        services.AddHostedService(sp => sp.GetRequiredService<PostgresMigrator>());

        // Two commits in flight: one transaction commits while the next batch is written (see GroupCommitQueue).
        services.Configure<GroupCommitOptions>(options => options.Writers = 2);

        services.AddSingleton<IApiKeyStore, PostgresApiKeyStore>();
        services.AddSingleton<IUserStore, PostgresUserStore>();
        services.AddSingleton<ICampaignStore, PostgresCampaignStore>();
        services.AddSingleton<IRetentionStore, PostgresRetentionStore>();
        services.AddSingleton<PostgresEventStore>();
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<PostgresEventStore>());
        services.AddSingleton<ISdkEventStore>(sp => sp.GetRequiredService<PostgresEventStore>());
        services.AddSingleton<IEventImportStore>(sp => sp.GetRequiredService<PostgresEventStore>());
        services.AddSingleton<IEventExportStore, PostgresEventExportStore>();
        services.AddSingleton<ITrackedEventExportStore, PostgresTrackedEventExportStore>();
        services.AddSingleton<ITrackedEventStore, PostgresTrackedEventStore>();
        services.AddSingleton<IStatisticsStore, PostgresStatisticsStore>();
        services.AddSingleton<IEventCounts, PostgresEventCounts>();
        services.AddSingleton<IRollupStore, PostgresRollupStore>();
        services.AddSingleton<IPostStore, PostgresPostStore>();
        services.AddSingleton<IPostSearchStore, PostgresPostSearchStore>();
        services.AddSingleton<IErasureStore, PostgresErasureStore>();

        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"], timeout: TimeSpan.FromSeconds(2));
        return services;
    }

    /// <summary>
    /// Defaults for Pulse's access pattern, unless the connection string says otherwise: hot statements are
    /// prepared once per connection (saves parse and plan time per batch; searches use an unprepared source,
    /// see <see cref="PostgresSearchDataSource"/>), and pooled connections are not
    /// reset on return (Pulse keeps no session state; advisory locks are transaction-scoped).
    /// </summary>
    private static NpgsqlDataSource CreateDataSource(string connectionString, bool prepare, string? serverOptions = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new NpgsqlConnectionStringBuilder(connectionString);
        if (!prepare)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 0;
        }
        else if (!given.ContainsKey("Max Auto Prepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        if (!given.ContainsKey("No Reset On Close"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        // Session settings for this pool, after any the connection string's Options give (the server applies
        // -c options in order, so these win; a user who must override them can point a pool elsewhere).
        if (serverOptions is not null)
        {
            builder.ConnectionStringBuilder.Options = ((given.Options ?? "") + " " + serverOptions).Trim();
        }

        return builder.Build();
    }
}
