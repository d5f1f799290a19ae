using Pulse.Core.Caching;
using Pulse.Core.Paging;
using Pulse.Core.Validation;

namespace Pulse.Core.Campaigns;

/// <summary>Campaigns are immutable once created, so cached copies never go stale.</summary>
public sealed class CampaignService(ICampaignStore store, CampaignCache cache, TimeProvider time)
{
    // Every event looks its campaign up: one delegate for all of them, not one per call.
    private readonly Func<string, CancellationToken, Task<Campaign?>> _loadByName = store.FindByNameAsync;

    public async Task<Outcome<Campaign>> CreateAsync(CampaignInput input, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Rules.RequiredText(errors, "name", input.Name, Limits.MaxNameLength);
        Rules.Properties(errors, "properties", input.Properties, required: true);
        if (!errors.IsEmpty)
        {
            return Outcome<Campaign>.Invalid(errors);
        }

        var created = await store.TryCreateAsync(input.Name!, Rules.ToProperties(input.Properties), time.GetUtcNow(), cancellationToken);
        if (created is null)
        {
            return Outcome<Campaign>.Conflict($"A campaign named '{input.Name}' already exists.");
        }

        await cache.ByName.StoreAsync(created.Name, created, cancellationToken);
        await cache.ById.StoreAsync(created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), created, cancellationToken);
        return Outcome<Campaign>.Ok(created);
    }

    public ValueTask<Campaign?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        cache.ByName.GetOrLoadAsync(name, _loadByName, cancellationToken);

    public ValueTask<Campaign?> FindByIdAsync(long id, CancellationToken cancellationToken) =>
        cache.ById.GetOrLoadAsync(
            id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (_, ct) => store.FindByIdAsync(id, ct),
            cancellationToken);

    /// <summary>The linked-event count changes with every event, so details are read from the store.</summary>
    public Task<CampaignDetails?> GetDetailsAsync(long id, CancellationToken cancellationToken) => store.GetDetailsAsync(id, cancellationToken);

    public Task<Page<CampaignDetails>> ListAsync(PageRequest request, CancellationToken cancellationToken) =>
        store.ListAsync(request, cancellationToken);
}

/// <summary>The two lookup caches of campaigns, by name and by id.</summary>
public sealed class CampaignCache(LookupCache<Campaign> byName, LookupCache<Campaign> byId)
{
    public LookupCache<Campaign> ByName { get; } = byName;

    public LookupCache<Campaign> ById { get; } = byId;
}
