using System.Text.Json;
using System.Text.Json.Serialization;
using Pulse.Core.Campaigns;
using Pulse.Core.Users;

namespace Pulse.Core.Caching;

/// <summary>Source-generated serialization of cached entities (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(Campaign))]
[JsonSerializable(typeof(List<Property>))]
public sealed partial class CoreJsonContext : JsonSerializerContext;
