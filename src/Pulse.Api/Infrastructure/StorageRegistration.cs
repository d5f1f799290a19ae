using Npgsql;
using Pulse.Core;
using Pulse.Core.Campaigns;
using Pulse.Core.Events;
using Pulse.Core.Health;
using Pulse.Core.Pipeline;
using Pulse.Core.Users;
using Pulse.Postgres;
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
            services.AddPulseRedis(options.Redis!, redisKeyPrefix);
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
        services.AddSingleton(new GroupCommitOptions { Writers = 1 });
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
        services.AddSingleton(_ => CreateDataSource(connectionString));
        services.AddSingleton(new SchemaScripts(Postgres, PostgresCrmSchema.Scripts));
        services.AddSingleton(new GroupCommitOptions { Writers = 2 });
        services.AddSingleton<IUserStore, PostgresUserStore>();
        services.AddSingleton<ICampaignStore, PostgresCampaignStore>();
        services.AddSingleton<IEventStore, PostgresEventStore>();
        services.AddSingleton<IReadinessProbe, PostgresReadinessProbe>();
        services.AddHostedService(sp => new DatabaseMigrator(
            ct => PostgresMigrations.MigrateAsync(sp.GetRequiredService<NpgsqlDataSource>(), Scripts(sp, Postgres), ct),
            sp.GetRequiredService<ILogger<DatabaseMigrator>>()));
    }

    /// <summary>
    /// Defaults for Pulse's access pattern, unless the connection string says otherwise: hot statements are
    /// prepared once per connection (saves parse and plan time per batch), and pooled connections are not
    /// reset on return (Pulse keeps no session state; advisory locks are transaction-scoped).
    /// </summary>
    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        if (!given.ContainsKey("No Reset On Close"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        return builder.Build();
    }

    private static IEnumerable<SchemaScript> Scripts(IServiceProvider services, string store) =>
        services.GetServices<SchemaScripts>().Where(s => s.Store == store).SelectMany(s => s.Scripts);
}
