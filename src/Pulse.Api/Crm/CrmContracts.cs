using System.Text.Json;
using System.Text.Json.Serialization;
using Pulse.Api.Infrastructure;
using Pulse.Core;
using Pulse.Core.Campaigns;
using Pulse.Core.Events;
using Pulse.Core.Paging;
using Pulse.Core.Users;

namespace Pulse.Api.Crm;

/// <summary>The CRM API's success envelope, as the original service answered.</summary>
public sealed record ApiResponse<T>(bool Success, T Data, string Message)
{
    public static ApiResponse<T> Ok(T data) => new(true, data, "success");
}

public sealed record PageView<T>(IReadOnlyList<T> Content, int Page, int Size, long TotalElements, long TotalPages)
{
    public static PageView<T> From<TSource>(Page<TSource> page, Func<TSource, T> map) =>
        new([.. page.Content.Select(map)], page.PageNumber, page.Size, page.TotalElements, page.TotalPages);
}

public sealed record UserView(long Id, string ExternalId, string UserAttributes)
{
    public static UserView From(User user) => new(user.Id, user.ExternalId, user.UserAttributes);
}

public sealed record UserListItem(long Id, string ExternalId, string UserAttributes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static UserListItem From(User user) => new(user.Id, user.ExternalId, user.UserAttributes, user.CreatedAt, user.UpdatedAt);
}

public sealed record UsersPayload(PageView<UserListItem> Users);

public sealed record UserCount(long TotalCount);

public sealed record CampaignView(long Id, string Name, IReadOnlyList<Property> Properties)
{
    public static CampaignView From(Campaign campaign) => new(campaign.Id, campaign.Name, campaign.Properties);
}

public sealed record CampaignDetailsView(long Id, string Name, IReadOnlyList<Property> Properties, long LinkedEventCount, DateTimeOffset CreatedAt)
{
    public static CampaignDetailsView From(CampaignDetails details) => new(
        details.Campaign.Id, details.Campaign.Name, details.Campaign.Properties, details.LinkedEventCount, details.Campaign.CreatedAt);
}

public sealed record CampaignsPayload(PageView<CampaignDetailsView> Campaigns);

public sealed record EventBatchPayload(IReadOnlyList<EventBatchItemView> Results, int Saved, int Failed)
{
    public static EventBatchPayload From(IReadOnlyList<EventBatchItem> items)
    {
        var views = new EventBatchItemView[items.Count];
        var saved = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            views[i] = new EventBatchItemView(item.Index, Problems.Status(item.Outcome), item.Id, item.Message, item.Errors);
            saved += item.Outcome == OutcomeKind.Ok ? 1 : 0;
        }

        return new EventBatchPayload(views, saved, items.Count - saved);
    }
}

/// <summary>One item's result in a batch: its HTTP status (201, 400 or 404), and either the saved event or the problem.</summary>
public sealed record EventBatchItemView(int Index, int Status, long? Id, string? Message, Dictionary<string, string[]>? Errors);

/// <summary>
/// A found event: <see cref="Timestamp"/> is the event's time (what <c>from</c>/<c>to</c> filter on), <see cref="ReceivedAt"/>
/// when Pulse received it (the same as <see cref="CreatedAt"/>, kept for old clients). SDK messages also carry the
/// message as sent, the client's <c>sentAt</c> and, when their time was more than a day ahead, <c>timeClamped</c>.
/// </summary>
public sealed record EventView(
    long Id, string Name, string ExternalId, IReadOnlyList<Property> Properties, DateTimeOffset CreatedAt, DateTimeOffset Timestamp, DateTimeOffset ReceivedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? SentAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? TimeClamped { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Message { get; init; }

    public static EventView From(StoredEvent stored) =>
        new(stored.Id, stored.Name, stored.ExternalId, stored.Properties, stored.CreatedAt, stored.Timestamp, stored.CreatedAt)
        {
            SentAt = stored.SentAt,
            TimeClamped = stored.TimeClamped ? true : null,
            Message = stored.Message is { } message ? JsonDocument.Parse(message).RootElement.Clone() : null,
        };
}

/// <summary>A page of search results; <see cref="NextCursor"/> is passed back as <c>after</c> for the next page.</summary>
public sealed record EventsPayload(IReadOnlyList<EventView> Events, long? NextCursor);
