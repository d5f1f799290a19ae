using Npgsql;
using Pulse.Api.Tracking;
using Pulse.Core;
using Pulse.Core.Campaigns;
using Pulse.Core.Events;
using Pulse.Core.Health;
using Pulse.Core.Pipeline;
using Pulse.Core.Users;
using Pulse.Postgres;
using Pulse.Redis;
using Pulse.Sqlite;

namespace Pulse.Api.Infrastructure;

internal static class StorageRegistration
{
    /// <summary>Store names for <see cref="SchemaScripts"/>: features register their scripts under these.</summary>
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static void AddPulseStorage(this IServiceCollection services, StorageOptions options, string redisKeyPrefix)
    {
        if (options.IsServerMode)
        {
            services.AddPostgres(options.Postgres!);
            services.AddPulseRedis(options.Redis!, redisKeyPrefix, sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<TrackingOptions>>().Value.BucketRetention);
        }
        else
        {
            services.AddSqlite(options.Sqlite);
            services.AddSingleton<Pulse.Core.Caching.ISharedCache, Pulse.Core.Caching.NoSharedCache>();
        }
    }

    private static void AddSqlite(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(new SqliteDatabase(connectionString));
        services.AddSingleton(new SchemaScripts(Sqlite, SqliteCrmSchema.Scripts));
        services.AddPipelineOptions(defaultWriters: 1);
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<ICampaignStore, SqliteCampaignStore>();
        services.AddSingleton<IEventStore, SqliteEventStore>();
        services.AddSingleton<IReadinessProbe, SqliteReadinessProbe>();
        services.AddHostedService(sp => new DatabaseMigrator(
            ct => SqliteMigrations.MigrateAsync(sp.GetRequiredService<SqliteDatabase>(), Scripts(sp, Sqlite), ct),
            sp.GetRequiredService<ILogger<DatabaseMigrator>>()));
    }

    private static void AddPostgres(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => CreateDataSource(connectionString, prepare: true));
        services.AddSingleton(_ => new PostgresWriteDataSource(CreateDataSource(connectionString, prepare: true, serverOptions: "-c plan_cache_mode=force_generic_plan")));
        services.AddSingleton(_ => new PostgresSearchDataSource(CreateDataSource(connectionString, prepare: false, serverOptions: "-c max_parallel_workers_per_gather=0")));
        services.AddSingleton(new SchemaScripts(Postgres, PostgresCrmSchema.Scripts));
        services.AddPipelineOptions(defaultWriters: 2);
        services.AddSingleton<IUserStore, PostgresUserStore>();
        services.AddSingleton<ICampaignStore, PostgresCampaignStore>();
        services.AddSingleton<IEventStore, PostgresEventStore>();
        services.AddSingleton<IReadinessProbe, PostgresReadinessProbe>();
        services.AddHostedService(sp => new DatabaseMigrator(
            ct => PostgresMigrations.MigrateAsync(sp.GetRequiredService<NpgsqlDataSource>(), Scripts(sp, Postgres), ct),
            sp.GetRequiredService<ILogger<DatabaseMigrator>>()));
    }

    /// <summary>
    /// The group-commit queues' settings: section <c>Pipeline</c> (Writers, ConcurrentCommitMinEvents, QueueCapacity, MaxBatchEvents).
    /// SQLite has one writer anyway; PostgreSQL overlaps two commits by default.
    /// </summary>
    private static void AddPipelineOptions(this IServiceCollection services, int defaultWriters)
    {
        services.AddOptions<GroupCommitOptions>()
            .Configure(options => options.Writers = defaultWriters)
            .BindConfiguration("Pipeline")
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<GroupCommitOptions>, GroupCommitOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<GroupCommitOptions>>().Value);
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

    private static IEnumerable<SchemaScript> Scripts(IServiceProvider services, string store) =>
        services.GetServices<SchemaScripts>().Where(s => s.Store == store).SelectMany(s => s.Scripts);
}
