using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pulse.Core;
using Pulse.Core.Access;
using Pulse.Core.Campaigns;
using Pulse.Core.Events;
using Pulse.Core.Pipeline;
using Pulse.Core.Posts;
using Pulse.Core.Tracking;
using Pulse.Core.Sdk;
using Pulse.Core.Users;
using Pulse.Sqlite.Access;
using Pulse.Sqlite.Posts;
using Pulse.Sqlite.Retention;
using Pulse.Core.Retention;
using Pulse.Sqlite.Tracking;
using Pulse.Sqlite.Lifecycle;
using Pulse.Core.Lifecycle;
using Pulse.Sqlite.Transfer;
using Pulse.Core.Transfer;

namespace Pulse.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Everything the embedded store provides, for every feature: the database, its schema (migrated at start-up),
    /// the stores and the readiness check <c>sqlite</c>. Tracked events are counted in the same transaction that
    /// stores them, so this store needs no live counters and no roll-up.
    /// </summary>
    public static IServiceCollection AddPulseSqlite(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(sp => new SqliteDatabase(connectionString, sp.GetRequiredService<ILoggerFactory>().CreateLogger<SqliteCheckpointer>()));
        services.AddSingleton<SqliteMigrator>();
        services.AddSingleton<ISchemaMigrator>(sp => sp.GetRequiredService<SqliteMigrator>());
        services.AddHostedService(sp => sp.GetRequiredService<SqliteMigrator>());
        services.AddHostedService<SqliteWalTruncation>();

        // SQLite takes one writer at a time, but a group's commit is written under the write lock and made durable
        // after it (SqliteWalSync): a second writer loop writes the next group while the first one's log syncs.
        services.AddSingleton<ICommitDurability>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.Configure<GroupCommitOptions>(options => options.Writers = 2);

        services.AddSingleton<IApiKeyStore, SqliteApiKeyStore>();
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<ICampaignStore, SqliteCampaignStore>();
        services.AddSingleton<SqliteEventStore>();
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton<ISdkEventStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton<IEventImportStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton<IEventExportStore, SqliteEventExportStore>();
        services.AddSingleton<ITrackedEventExportStore, SqliteTrackedEventExportStore>();
        services.AddSingleton<ITrackedEventStore, SqliteTrackedEventStore>();
        services.AddSingleton<IStatisticsStore, SqliteStatisticsStore>();
        services.AddSingleton<IEventCounts, SqliteEventCounts>();
        services.AddSingleton<IPostStore, SqlitePostStore>();
        services.AddSingleton<IPostSearchStore, SqlitePostSearchStore>();
        services.AddSingleton<IRetentionStore, SqliteRetentionStore>();
        services.AddSingleton<IErasureStore, SqliteErasureStore>();

        services.AddHealthChecks().AddCheck<SqliteHealthCheck>("sqlite", tags: ["ready"], timeout: TimeSpan.FromSeconds(2));
        return services;
    }
}
