using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pulse.Core.Posts;

/// <summary>Source-generated serialization of what the adapters store as text: cache entries and hashtag lists.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SearchCacheEntry))]
[JsonSerializable(typeof(List<string>))]
public sealed partial class PostsStorageJsonContext : JsonSerializerContext;
