using Pulse.Sqlite.Retention;

namespace Pulse.Api.Tests.Retention;

/// <summary>Embedded retention sizes its chunks by the writer time they take, not by a fixed row count.</summary>
public sealed class SqliteRetentionChunkTests
{
    private static readonly TimeSpan Budget = SqliteRetentionStore.ChunkBudget;

    [Fact]
    public void A_chunk_that_took_the_budget_keeps_its_size()
    {
        Assert.Equal(400, SqliteRetentionStore.NextChunk(400, Budget));
    }

    [Fact]
    public void A_slow_chunk_shrinks_to_what_fits_the_budget_but_at_most_by_half_per_step()
    {
        Assert.Equal(300, SqliteRetentionStore.NextChunk(400, Budget * 4 / 3));
        Assert.Equal(200, SqliteRetentionStore.NextChunk(400, Budget * 10));
        Assert.Equal(SqliteRetentionStore.MinChunk, SqliteRetentionStore.NextChunk(12, Budget * 10));
    }

    [Fact]
    public void A_fast_chunk_grows_at_most_to_twice_its_size_and_never_past_the_maximum()
    {
        Assert.Equal(500, SqliteRetentionStore.NextChunk(400, Budget * 4 / 5));
        Assert.Equal(800, SqliteRetentionStore.NextChunk(400, Budget / 10));
        Assert.Equal(800, SqliteRetentionStore.NextChunk(400, TimeSpan.Zero));
        Assert.Equal(SqliteRetentionStore.MaxChunk, SqliteRetentionStore.NextChunk(4_000, Budget / 10));
    }
}
