using System.Text.Json;
using System.Text.Json.Serialization;
using Pulse.Api.Crm;
using Pulse.Core.Campaigns;
using Pulse.Core.Events;
using Pulse.Core.Users;

namespace Pulse.Api.Infrastructure;

/// <summary>Source-generated JSON for every request and response body; first in the resolver chain.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(UserInput))]
[JsonSerializable(typeof(CampaignInput))]
[JsonSerializable(typeof(EventInput))]
[JsonSerializable(typeof(List<EventInput?>))]
[JsonSerializable(typeof(ApiResponse<UserView>))]
[JsonSerializable(typeof(ApiResponse<UsersPayload>))]
[JsonSerializable(typeof(ApiResponse<UserCount>))]
[JsonSerializable(typeof(ApiResponse<CampaignView>))]
[JsonSerializable(typeof(ApiResponse<CampaignDetailsView>))]
[JsonSerializable(typeof(ApiResponse<CampaignsPayload>))]
[JsonSerializable(typeof(ApiResponse<EventSaved>))]
[JsonSerializable(typeof(ApiResponse<EventBatchPayload>))]
[JsonSerializable(typeof(ApiResponse<EventsPayload>))]
[JsonSerializable(typeof(Pulse.Api.Access.KeyInput))]
[JsonSerializable(typeof(ApiResponse<Pulse.Api.Access.CreatedKeyView>))]
[JsonSerializable(typeof(ApiResponse<Pulse.Api.Access.KeysPayload>))]
[JsonSerializable(typeof(Pulse.Api.Operations.HealthView))]
[JsonSerializable(typeof(ApiResponse<Pulse.Api.Lifecycle.ErasureView>))]
[JsonSerializable(typeof(ApiResponse<Pulse.Api.Lifecycle.ErasuresPayload>))]
[JsonSerializable(typeof(ApiResponse<Pulse.Api.Lifecycle.SuppressionsPayload>))]
[JsonSerializable(typeof(ApiResponse<Pulse.Core.Transfer.ImportSummary>))]
internal sealed partial class PulseJsonContext : JsonSerializerContext;
