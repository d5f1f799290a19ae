using System.Text.Json;
using System.Text.Json.Serialization;
using Pulse.Api.Infrastructure;
using Pulse.Api.Statistics;
using Pulse.Core.Tracking;

namespace Pulse.Api.Tracking;

/// <summary>Source-generated JSON for the tracking and statistics bodies; inserted first in the resolver chain.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(TrackedEventInput))]
[JsonSerializable(typeof(List<TrackedEventInput?>))]
[JsonSerializable(typeof(TrackedEventView))]
[JsonSerializable(typeof(TrackedBatchView))]
[JsonSerializable(typeof(StatisticsView))]
[JsonSerializable(typeof(IReadOnlyList<KeywordCount>))]
internal sealed partial class TrackingJsonContext : JsonSerializerContext;
