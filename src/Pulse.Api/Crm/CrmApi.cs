namespace Pulse.Api.Crm;

/// <summary>The CRM API of seed 000, under <c>/api/v1</c>.</summary>
internal static class CrmApi
{
    public const long BatchMaxRequestBodyBytes = 16 * 1024 * 1024;

    public static RouteGroupBuilder MapCrm(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1");
        group.MapUsers();
        group.MapCampaigns();
        group.MapEvents();
        return group;
    }
}
