// The ceiling for the benchmark's ratio columns: the same routes and JSON bodies as Pulse, parsed with
// source-generated System.Text.Json, answered with a plausible body — and nothing stored anywhere.
using System.Text.Json;
using System.Text.Json.Serialization;
using Pulse.Bench.Baseline;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default));

var app = builder.Build();
long nextId = 0;
long NextId() => Interlocked.Increment(ref nextId);

app.MapGet("/health/live", () => Results.Text("Healthy"));
app.MapGet("/health/ready", () => Results.Text("Healthy"));

// ---- CRM (seed 000)
app.MapPost("/api/v1/users", (UserInput input) =>
    Results.Ok(new Envelope<UserView>(true, new UserView(NextId(), input.ExternalId ?? "", input.UserAttributes ?? ""), "success")));
app.MapPost("/api/v1/events/campaign", (CampaignInput input) =>
    Results.Json(new Envelope<CampaignView>(true, new CampaignView(NextId(), input.Name ?? "", input.Properties ?? []), "success"),
        BaselineJson.Default.EnvelopeCampaignView, statusCode: 201));
app.MapPost("/api/v1/events", (EventInput input) =>
    Results.Json(new Envelope<EventSaved>(true, new EventSaved(NextId(), MessageFor(input)), "success"),
        BaselineJson.Default.EnvelopeEventSaved, statusCode: 201));
app.MapPost("/api/v1/events/batch", (List<EventInput> inputs) =>
{
    var results = new List<BatchItem>(inputs.Count);
    for (var i = 0; i < inputs.Count; i++)
    {
        results.Add(new BatchItem(i, 201, NextId(), MessageFor(inputs[i])));
    }

    return Results.Ok(new Envelope<BatchPayload>(true, new BatchPayload(results, results.Count, 0), "success"));
});
app.MapGet("/api/v1/events", () => Results.Ok(new Envelope<EventsPayload>(true, new EventsPayload([], null), "success")));

// ---- Event tracker (seed 004)
app.MapPost("/api/events", (TrackedEventInput input) => Results.Json(Accepted(input), BaselineJson.Default.TrackedAccepted, statusCode: 201));
app.MapPost("/api/users/events", (TrackedEventInput input) => Results.Json(Accepted(input), BaselineJson.Default.TrackedAccepted, statusCode: 201));
app.MapPost("/api/events/batch", (List<TrackedEventInput> inputs) =>
    Results.Json(new TrackedBatchAccepted(inputs.Count), BaselineJson.Default.TrackedBatchAccepted, statusCode: 201));
app.MapPost("/api/posts", (PostInput input) =>
    Results.Json(new PostView(NextId(), input.UserId, input.Content ?? "", input.ImageUrls, input.Hashtags ?? [], DateTimeOffset.UtcNow, 0),
        BaselineJson.Default.PostView, statusCode: 201));
app.MapPost("/api/posts/like", (LikeInput input) => Results.Ok(new LikeView(input.PostId, input.UserId, true, 1)));
app.MapGet("/api/posts/popular", () => Results.Ok(Array.Empty<PostView>()));
app.MapGet("/api/search", (long? userId, string? keyword) => Results.Ok(Array.Empty<PostView>()));
app.MapGet("/api/search/recent/{userId:long}", (long userId) => Results.Ok(new RecentKeywords([])));

await app.RunAsync();

static string MessageFor(EventInput input) =>
    string.IsNullOrEmpty(input.CampaignName) ? "Event saved successfully" : "Event saved with campaign";

static TrackedAccepted Accepted(TrackedEventInput input) => new(true, input.EventType ?? "");

namespace Pulse.Bench.Baseline
{
    public sealed record Property(string? Key, string? Value);
    public sealed record UserInput(long? Id, string? ExternalId, string? UserAttributes);
    public sealed record UserView(long Id, string ExternalId, string UserAttributes);
    public sealed record CampaignInput(string? Name, List<Property>? Properties);
    public sealed record CampaignView(long Id, string Name, List<Property> Properties);
    public sealed record EventInput(string? Name, string? CampaignName, string? ExternalId, List<Property>? Properties);
    public sealed record EventSaved(long Id, string Message);
    public sealed record BatchItem(int Index, int Status, long? Id, string? Message);
    public sealed record BatchPayload(List<BatchItem> Results, int Saved, int Failed);
    public sealed record EventsPayload(List<EventSaved> Events, long? NextCursor);
    public sealed record Envelope<T>(bool Success, T Data, string Message);

    public sealed record TrackedMetadata(long ComponentId, string? ElementId, string? Keyword, long? PostId);
    public sealed record TrackedEventInput(string? EventType, long? UserId, string? SessionId, TrackedMetadata? Metadata);
    public sealed record TrackedAccepted(bool Accepted, string EventType);
    public sealed record TrackedBatchAccepted(int Accepted);
    public sealed record PostInput(long UserId, string? Content, string? ImageUrls, List<string>? Hashtags);
    public sealed record PostView(long PostId, long UserId, string Content, string? ImageUrls, List<string> Hashtags, DateTimeOffset CreatedAt, long LikeCount);
    public sealed record LikeInput(long PostId, long UserId);
    public sealed record LikeView(long PostId, long UserId, bool Liked, long LikeCount);
    public sealed record RecentKeywords(List<string> Keyword);

    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(UserInput))]
    [JsonSerializable(typeof(CampaignInput))]
    [JsonSerializable(typeof(EventInput))]
    [JsonSerializable(typeof(List<EventInput>))]
    [JsonSerializable(typeof(Envelope<UserView>))]
    [JsonSerializable(typeof(Envelope<CampaignView>))]
    [JsonSerializable(typeof(Envelope<EventSaved>))]
    [JsonSerializable(typeof(Envelope<BatchPayload>))]
    [JsonSerializable(typeof(Envelope<EventsPayload>))]
    [JsonSerializable(typeof(TrackedEventInput))]
    [JsonSerializable(typeof(List<TrackedEventInput>))]
    [JsonSerializable(typeof(TrackedAccepted))]
    [JsonSerializable(typeof(TrackedBatchAccepted))]
    [JsonSerializable(typeof(PostInput))]
    [JsonSerializable(typeof(PostView))]
    [JsonSerializable(typeof(PostView[]))]
    [JsonSerializable(typeof(LikeInput))]
    [JsonSerializable(typeof(LikeView))]
    [JsonSerializable(typeof(RecentKeywords))]
    internal sealed partial class BaselineJson : JsonSerializerContext;
}
