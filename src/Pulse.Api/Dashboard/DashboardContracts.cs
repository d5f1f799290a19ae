using System.Text.Json;
using System.Text.Json.Serialization;
using Pulse.Api.Infrastructure;

namespace Pulse.Api.Dashboard;

/// <summary>
/// <c>GET /api/dashboard/overview</c>: the last 60 minutes of ingestion per minute (from <see cref="From"/>, oldest first)
/// and the pipeline's health.
/// </summary>
public sealed record DashboardOverview(DateTimeOffset From, DateTimeOffset To, IngestedView Ingested, PipelineView Pipeline);

/// <summary>
/// Events stored per minute: <c>CRM</c> (CRM events and SDK messages, by their time) and each tracked-event type (its
/// counters: LIKE is net of UNLIKEs, as the statistics API counts it); the sums of the last 5 minutes, the current one
/// included. <see cref="Partial"/> when the live counters could not be read (server mode, Redis down).
/// </summary>
public sealed record IngestedView(long CrmLast5Minutes, long TrackedLast5Minutes, IReadOnlyList<IngestedSeries> Series, bool Partial);

public sealed record IngestedSeries(string Kind, IReadOnlyList<long> Counts);

/// <summary>
/// This process's write queues (events queued or being committed), its last 60 s of requests, 503s and commits, and
/// the last readiness checks (every 10 s; <see cref="CheckedAt"/> is null before the first).
/// </summary>
public sealed record PipelineView(
    IReadOnlyList<QueueView> Queues, long Requests, long Unavailable, long Commits, double? MeanCommitMs, double? MaxCommitMs,
    DateTimeOffset? CheckedAt, IReadOnlyList<DependencyView> Dependencies);

public sealed record QueueView(string Name, int Depth);

public sealed record DependencyView(string Name, bool Up);

/// <summary><c>GET /api/statistics/series</c>: one count per minute from <see cref="From"/> to <see cref="To"/>, oldest first.</summary>
public sealed record SeriesView(string EventType, long ComponentId, long? PostId, string? Keyword, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<long> Counts);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(DashboardOverview))]
[JsonSerializable(typeof(SeriesView))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
