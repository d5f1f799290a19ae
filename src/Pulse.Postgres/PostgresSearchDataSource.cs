using Npgsql;

namespace Pulse.Postgres;

/// <summary>
/// Connections for ad-hoc searches, never auto-prepared. A where-DSL search's best plan depends on its
/// values (how selective each condition is); a prepared statement would drift to PostgreSQL's generic plan,
/// measured at 250 ms instead of 6–11 ms for a three-condition search over 1M events.
/// </summary>
public sealed class PostgresSearchDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
