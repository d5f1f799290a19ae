using Npgsql;

namespace Pulse.Postgres;

/// <summary>
/// Connections for the group-commit writers, whose statements take arrays of rows. Their plans never depend on
/// the values, so they run with <c>plan_cache_mode=force_generic_plan</c>: without it PostgreSQL kept
/// re-planning the batch insert for every batch (custom plans for arrays of varying length), which showed as
/// about 5 % of PostgreSQL's CPU under saturation.
/// </summary>
public sealed class PostgresWriteDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
