using System.Diagnostics.Metrics;
using Pulse.Core.Pipeline;

namespace Pulse.Api.Dashboard;

/// <summary>
/// What the dashboard shows of the last minute that only this process knows: its HTTP requests and how many were 503s
/// (ASP.NET Core's <c>http.server.request.duration</c>), and its commits and how long they took
/// (<c>pulse.pipeline.commit.duration</c>). It listens to the same instruments as /metrics, whether or not /metrics is
/// on, and keeps 60 one-second slots of counts and sums (a few interlocked additions per request, no allocation).
/// </summary>
internal sealed class PipelineMonitor : IDisposable
{
    public const int WindowSeconds = 60;

    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private readonly Slot[] _slots = new Slot[WindowSeconds];
    private readonly Lock _reset = new();

    /// <param name="meters">
    /// The host's meter factory: ASP.NET Core creates its meters through it, so requests of other hosts in the same process
    /// (tests) are not counted. The write queues' meter is process-wide: their commits are counted for the process.
    /// </param>
    public PipelineMonitor(TimeProvider time, IMeterFactory meters)
    {
        _time = time;
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new Slot();
        }

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if ((instrument is { Meter.Name: "Microsoft.AspNetCore.Hosting", Name: "http.server.request.duration" } && instrument.Meter.Scope == meters)
                || instrument is { Meter.Name: GroupCommitQueue<object, object>.MeterName, Name: "pulse.pipeline.commit.duration" })
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Requests, 503s and commits over the last <see cref="WindowSeconds"/> seconds.</summary>
    public PipelineActivity LastMinute()
    {
        var now = Second();
        long requests = 0, unavailable = 0, commits = 0, commitMicros = 0, maxMicros = 0;
        foreach (var slot in _slots)
        {
            if (now - Volatile.Read(ref slot.Second) < WindowSeconds)
            {
                requests += Volatile.Read(ref slot.Requests);
                unavailable += Volatile.Read(ref slot.Unavailable);
                commits += Volatile.Read(ref slot.Commits);
                commitMicros += Volatile.Read(ref slot.CommitMicros);
                maxMicros = Math.Max(maxMicros, Volatile.Read(ref slot.MaxCommitMicros));
            }
        }

        return new PipelineActivity(requests, unavailable, commits, commits == 0 ? null : commitMicros / 1000.0 / commits, commits == 0 ? null : maxMicros / 1000.0);
    }

    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var slot = Current();
        if (instrument.Meter.Name != GroupCommitQueue<object, object>.MeterName)
        {
            Interlocked.Increment(ref slot.Requests);
            foreach (var tag in tags)
            {
                if (tag is { Key: "http.response.status_code", Value: 503 })
                {
                    Interlocked.Increment(ref slot.Unavailable);
                }
            }

            return;
        }

        var micros = (long)(value * 1_000_000);
        Interlocked.Increment(ref slot.Commits);
        Interlocked.Add(ref slot.CommitMicros, micros);
        var max = Volatile.Read(ref slot.MaxCommitMicros);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref slot.MaxCommitMicros, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The slot of the current second, emptied first if it still holds a second a minute ago.</summary>
    private Slot Current()
    {
        var second = Second();
        var slot = _slots[second % WindowSeconds];
        if (Volatile.Read(ref slot.Second) != second)
        {
            lock (_reset)
            {
                if (slot.Second != second)
                {
                    slot.Requests = slot.Unavailable = slot.Commits = slot.CommitMicros = slot.MaxCommitMicros = 0;
                    Volatile.Write(ref slot.Second, second);
                }
            }
        }

        return slot;
    }

    private long Second() => _time.GetUtcNow().ToUnixTimeSeconds();

    public void Dispose() => _listener.Dispose();

    private sealed class Slot
    {
        public long Second = -WindowSeconds;
        public long Requests;
        public long Unavailable;
        public long Commits;
        public long CommitMicros;
        public long MaxCommitMicros;
    }
}

/// <summary>The last minute of this process: requests, 503s among them, commits and their mean and longest time (ms).</summary>
internal sealed record PipelineActivity(long Requests, long Unavailable, long Commits, double? MeanCommitMs, double? MaxCommitMs);
