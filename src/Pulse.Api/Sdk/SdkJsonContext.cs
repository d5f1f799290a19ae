using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pulse.Api.Sdk;

/// <summary>Source-generated JSON for the SDK endpoints' answers (bodies are read with JsonDocument).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SegmentAnswer))]
[JsonSerializable(typeof(PostHogAnswer))]
[JsonSerializable(typeof(List<RejectedMessage>))]
internal sealed partial class SdkJsonContext : JsonSerializerContext;
