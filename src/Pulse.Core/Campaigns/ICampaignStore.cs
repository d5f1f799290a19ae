using Pulse.Core.Paging;

namespace Pulse.Core.Campaigns;

public interface ICampaignStore
{
    /// <returns>The new campaign, or <c>null</c> when the name is taken (also under concurrent creates).</returns>
    Task<Campaign?> TryCreateAsync(string name, IReadOnlyList<Property> properties, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Campaign?> FindByNameAsync(string name, CancellationToken cancellationToken);

    Task<Campaign?> FindByIdAsync(long id, CancellationToken cancellationToken);

    Task<CampaignDetails?> GetDetailsAsync(long id, CancellationToken cancellationToken);

    Task<Page<CampaignDetails>> ListAsync(PageRequest request, CancellationToken cancellationToken);
}
