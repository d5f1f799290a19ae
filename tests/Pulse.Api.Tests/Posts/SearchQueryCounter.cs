using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Core.Posts;

namespace Pulse.Api.Tests.Posts;

/// <summary>
/// Reads one host's <c>pulse.search.database_queries</c> metric: the hashtag searches that reached its database.
/// Counting starts at the first call for a host, so tests compare two readings.
/// </summary>
public sealed class SearchQueryCounter : IDisposable
{
    private static readonly ConditionalWeakTable<IServiceProvider, SearchQueryCounter> Counters = [];
    private readonly MeterListener _listener = new();
    private long _queries;

    private SearchQueryCounter(IServiceProvider services)
    {
        var hostMeters = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == hostMeters && instrument.Name == MeteredPostSearchStore.DatabaseQueriesName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _queries, value));
        _listener.Start();
    }

    public static long Read(IServiceProvider services) => Interlocked.Read(ref Counters.GetValue(services, s => new SearchQueryCounter(s))._queries);

    public void Dispose() => _listener.Dispose();
}
