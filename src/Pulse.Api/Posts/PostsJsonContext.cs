using System.Text.Json;
using System.Text.Json.Serialization;
using Pulse.Api.Infrastructure;
using Pulse.Core.Posts;

namespace Pulse.Api.Posts;

/// <summary>Source-generated JSON for the posts and search endpoints; inserted first in the resolver chain.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(PostInput))]
[JsonSerializable(typeof(LikeInput))]
[JsonSerializable(typeof(PostCreated))]
[JsonSerializable(typeof(PostView))]
[JsonSerializable(typeof(PostView[]))]
[JsonSerializable(typeof(LikeView))]
[JsonSerializable(typeof(RecentKeywordsView))]
internal sealed partial class PostsJsonContext : JsonSerializerContext;
