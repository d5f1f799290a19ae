using Npgsql;

namespace Pulse.Postgres;

/// <summary>
/// Connections for ad-hoc searches, never auto-prepared. A where-DSL search's best plan depends on its
/// values (how selective each condition is); a prepared statement would drift to PostgreSQL's generic plan,
/// measured at 250 ms instead of 6–11 ms for a three-condition search over 1M events. Runs with
/// <c>max_parallel_workers_per_gather=0</c>: a search returns one page (LIMIT &lt;= 1000) in milliseconds, and
/// starting parallel workers cost ~10 ms per query here while taking cores from the ingest path.
/// </summary>
public sealed class PostgresSearchDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
