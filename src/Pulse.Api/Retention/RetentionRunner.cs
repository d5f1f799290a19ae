using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Pulse.Core.Retention;

namespace Pulse.Api.Retention;

/// <summary>
/// One retention pass: the cutoffs from <see cref="RetentionOptions"/> and the clock, the store's work, a log line of
/// what left and the counters <c>pulse.retention.removed</c> (tagged <c>kind</c>: events, tracked_events, stat_minutes,
/// partitions) and <c>pulse.retention.passes</c>.
/// </summary>
public sealed partial class RetentionRunner : IDisposable
{
    public const string MeterName = "Pulse.Retention";

    private readonly IRetentionStore _store;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RetentionRunner> _logger;
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _removed;
    private readonly Counter<long> _passes;

    public RetentionRunner(IRetentionStore store, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionRunner> logger)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _removed = _meter.CreateCounter<long>("pulse.retention.removed", "{row}", "Rows (and whole partitions) removed by retention, by kind");
        _passes = _meter.CreateCounter<long>("pulse.retention.passes", "{pass}", "Retention passes run by this instance, by outcome");
    }

    /// <summary>The cutoffs a pass at <paramref name="now"/> uses.</summary>
    public RetentionCutoffs CutoffsAt(DateTimeOffset now) => new(
        Before(now, _options.EventsDays), Before(now, _options.TrackedEventsDays), Before(now, _options.StatMinutesDays))
    {
        PartitionPeriod = _options.PartitionDays is { } days ? TimeSpan.FromDays(days) : null,
    };

    /// <summary>Brings the store's layout in line with the settings (server mode partitions what retention will expire).</summary>
    public Task PrepareAsync(CancellationToken cancellationToken) => _store.PrepareAsync(CutoffsAt(_time.GetUtcNow()), cancellationToken);

    /// <summary>Runs a pass now; <c>null</c> when another instance holds the pass.</summary>
    public async Task<RetentionPass?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var pass = await _store.ExpireAsync(CutoffsAt(now), now, cancellationToken);
        if (pass is null)
        {
            _passes.Add(1, new KeyValuePair<string, object?>("outcome", "skipped"));
            LogSkipped(_logger);
            return null;
        }

        _passes.Add(1, new KeyValuePair<string, object?>("outcome", "done"));
        Record("events", pass.Events);
        Record("tracked_events", pass.TrackedEvents);
        Record("stat_minutes", pass.StatMinutes);
        Record("partitions", pass.PartitionsDropped);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (pass.Events + pass.TrackedEvents + pass.StatMinutes + pass.PartitionsDropped + pass.PartitionsCreated > 0)
        {
            LogRemoved(_logger, pass.Events, pass.TrackedEvents, pass.StatMinutes, pass.PartitionsDropped, pass.PartitionsCreated, elapsed.TotalSeconds);
        }

        return pass;
    }

    public void Dispose() => _meter.Dispose();

    private static DateTimeOffset? Before(DateTimeOffset now, int? days) => days is { } value ? now.AddDays(-value) : null;

    private void Record(string kind, long count)
    {
        if (count > 0)
        {
            _removed.Add(count, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention removed {Events} events, {TrackedEvents} tracked events and {StatMinutes} minute counters ({Dropped} partitions dropped, {Created} created) in {Seconds:F1} s")]
    private static partial void LogRemoved(ILogger logger, long events, long trackedEvents, long statMinutes, int dropped, int created, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention pass skipped: another instance is running one")]
    private static partial void LogSkipped(ILogger logger);
}
