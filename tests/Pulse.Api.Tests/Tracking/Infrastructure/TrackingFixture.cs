using System.Data.Common;
using Microsoft.Extensions.Time.Testing;

namespace Pulse.Api.Tests.Tracking.Infrastructure;

/// <summary>
/// A Pulse host per test class on a <see cref="TrackingClock"/>, with a fast roll-up, plus direct access to the class's
/// own database for assertions. Further hosts on the same storage can be started to play other instances.
/// </summary>
public abstract class TrackingFixture : IAsyncLifetime
{
    private Dictionary<string, string?> _settings = [];
    private TrackingHost? _host;

    public FakeTimeProvider Clock { get; } = TrackingClock.MidMinute();

    public TrackingHost Host => _host ?? throw new InvalidOperationException("The fixture did not start.");

    public HttpClient Client => Host.Client;

    public abstract string Mode { get; }

    public async Task InitializeAsync()
    {
        _settings = await PrepareAsync();
        _settings["Tracking:RollupInterval"] = "00:00:00.250";
        _host = new TrackingHost(_settings, Clock);
    }

    /// <summary>Also runs after a failed <see cref="InitializeAsync"/>, so whatever was created is removed.</summary>
    public async Task DisposeAsync()
    {
        try
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
        finally
        {
            await CleanUpAsync();
        }
    }

    /// <summary>Another instance on the same storage and clock; <paramref name="overrides"/> change its settings.</summary>
    public TrackingHost StartHost(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new TrackingHost(settings, Clock);
    }

    /// <summary>Runs a scalar query against the host's database; parameters are named @p0, @p1, ...</summary>
    public async Task<long> ScalarAsync(string sql, params object[] values)
    {
        await using var connection = OpenConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i;
            parameter.Value = values[i] is DateTimeOffset time ? Minute(time) : values[i];
            command.Parameters.Add(parameter);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<long> TrackedEventRowsAsync(string sessionId) =>
        ScalarAsync("SELECT COUNT(*) FROM tracked_events WHERE session_id = @p0", sessionId);

    /// <summary>The per-minute rows of one type and component, summed (optionally for one minute).</summary>
    public Task<long> StatMinutesAsync(string type, long componentId, DateTimeOffset? minute = null) => minute is { } at
        ? ScalarAsync("SELECT COALESCE(SUM(count), 0) FROM stat_minutes WHERE type = @p0 AND component_id = @p1 AND minute = @p2", type, componentId, at)
        : ScalarAsync("SELECT COALESCE(SUM(count), 0) FROM stat_minutes WHERE type = @p0 AND component_id = @p1", type, componentId);

    /// <summary>One type and component's rows of <c>stat_component_minutes</c>, summed.</summary>
    public Task<long> ComponentMinutesAsync(string type, long componentId) =>
        ScalarAsync("SELECT COALESCE(SUM(count), 0) FROM stat_component_minutes WHERE type = @p0 AND component_id = @p1", type, componentId);

    /// <summary>
    /// The minutes of one type and component whose <c>stat_component_minutes</c> row is not the sum of the members' rows
    /// (a missing row counts as 0). The write path keeps the two in step, so this is 0.
    /// </summary>
    public Task<long> ComponentMinutesOutOfStepAsync(string type, long componentId) => ScalarAsync("""
        SELECT COUNT(*) FROM
            (SELECT minute, SUM(count) AS total FROM stat_minutes WHERE type = @p0 AND component_id = @p1 GROUP BY minute) AS m
            FULL OUTER JOIN (SELECT minute, count FROM stat_component_minutes WHERE type = @p0 AND component_id = @p1) AS c
            ON c.minute = m.minute
        WHERE COALESCE(m.total, 0) <> COALESCE(c.count, 0)
        """, type, componentId);

    public Task<long> StatTotalsAsync(string type, long componentId) =>
        ScalarAsync("SELECT COALESCE(SUM(count), 0) FROM stat_totals WHERE type = @p0 AND component_id = @p1", type, componentId);

    protected abstract Task<Dictionary<string, string?>> PrepareAsync();

    protected abstract DbConnection OpenConnection();

    protected abstract object Minute(DateTimeOffset time);

    protected virtual Task CleanUpAsync() => Task.CompletedTask;
}
