using Pulse.Api.Access;
using Pulse.Core.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Pulse.Api.Infrastructure;
using Pulse.Core.Campaigns;

namespace Pulse.Api.Crm;

internal static class CampaignsApi
{
    public static RouteGroupBuilder MapCampaigns(this RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/events/campaign").WithTags("Campaigns");
        campaigns.MapPost("/", CreateAsync).WithSummary("Create a campaign; names are unique").RequireScope(ApiScopes.Admin);
        campaigns.MapGet("/", ListAsync).WithSummary("List campaigns with their linked-event counts").RequireScope(ApiScopes.Read);
        campaigns.MapGet("/{id:long}", GetAsync).WithSummary("Read a campaign with its linked-event count").RequireScope(ApiScopes.Read);
        return campaigns;
    }

    private static async Task<Results<Created<ApiResponse<CampaignView>>, ProblemHttpResult>> CreateAsync(
        CampaignInput input, CampaignService campaigns, CancellationToken cancellationToken)
    {
        var outcome = await campaigns.CreateAsync(input, cancellationToken);
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/events/campaign/{outcome.Value.Id}", ApiResponse<CampaignView>.Ok(CampaignView.From(outcome.Value)))
            : Problems.For(outcome);
    }

    private static async Task<Results<Ok<ApiResponse<CampaignsPayload>>, ValidationProblem>> ListAsync(
        int? page, int? size, CampaignService campaigns, CancellationToken cancellationToken)
    {
        if (!Paging.TryCreate(page, size, out var request, out var errors))
        {
            return Problems.Invalid(errors);
        }

        var result = await campaigns.ListAsync(request, cancellationToken);
        return TypedResults.Ok(ApiResponse<CampaignsPayload>.Ok(new CampaignsPayload(PageView<CampaignDetailsView>.From(result, CampaignDetailsView.From))));
    }

    private static async Task<Results<Ok<ApiResponse<CampaignDetailsView>>, ProblemHttpResult>> GetAsync(
        long id, CampaignService campaigns, CancellationToken cancellationToken)
    {
        var details = await campaigns.GetDetailsAsync(id, cancellationToken);
        return details is null
            ? Problems.NotFound($"No campaign has id {id}.")
            : TypedResults.Ok(ApiResponse<CampaignDetailsView>.Ok(CampaignDetailsView.From(details)));
    }
}
