using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core;
using Pulse.Core.Campaigns;
using Pulse.Core.Paging;
using Pulse.Core.Users;

namespace Pulse.Api.Tests.Crm;

/// <summary>Steady-state ingestion never asks the database who a user or a campaign is.</summary>
public abstract class HotLookupTests(PulseFixture fixture, LookupCounter counter)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Repeated_events_look_up_user_and_campaign_from_memory()
    {
        var user = TestEnvironment.Unique("user");
        var campaign = TestEnvironment.Unique("campaign");
        await _client.CreateUserAsync(user);
        await _client.CreateCampaignAsync(campaign, "k");
        await _client.SaveEventAsync("warm-up", user, campaign, ("k", "v"));
        var before = counter.Lookups;

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("Event saved with campaign", (await _client.SaveEventAsync("hot", user, campaign, ("k", "v")))["message"].Str());
        }

        Assert.Equal(before, counter.Lookups);
    }
}

/// <summary>Counts the store lookups that the lookup caches exist to avoid.</summary>
public sealed class LookupCounter
{
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    public void Count() => Interlocked.Increment(ref _lookups);

    public static void Decorate(IServiceCollection services, LookupCounter counter)
    {
        services.Decorate<IUserStore>((users, _) => new CountingUsers(users, counter));
        services.Decorate<ICampaignStore>((campaigns, _) => new CountingCampaigns(campaigns, counter));
    }

    private sealed class CountingUsers(IUserStore inner, LookupCounter counter) : IUserStore
    {
        public Task<User?> TryCreateAsync(string externalId, string userAttributes, DateTimeOffset now, CancellationToken cancellationToken) => inner.TryCreateAsync(externalId, userAttributes, now, cancellationToken);

        public Task<User?> TryUpdateAttributesAsync(long id, string? externalId, string userAttributes, DateTimeOffset now, CancellationToken cancellationToken) => inner.TryUpdateAttributesAsync(id, externalId, userAttributes, now, cancellationToken);

        public Task<User?> FindByExternalIdAsync(string externalId, CancellationToken cancellationToken)
        {
            counter.Count();
            return inner.FindByExternalIdAsync(externalId, cancellationToken);
        }

        public Task<Page<User>> ListAsync(PageRequest request, CancellationToken cancellationToken) => inner.ListAsync(request, cancellationToken);

        public Task<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);
    }

    private sealed class CountingCampaigns(ICampaignStore inner, LookupCounter counter) : ICampaignStore
    {
        public Task<Campaign?> TryCreateAsync(string name, IReadOnlyList<Property> properties, DateTimeOffset now, CancellationToken cancellationToken) => inner.TryCreateAsync(name, properties, now, cancellationToken);

        public Task<Campaign?> FindByNameAsync(string name, CancellationToken cancellationToken)
        {
            counter.Count();
            return inner.FindByNameAsync(name, cancellationToken);
        }

        public Task<Campaign?> FindByIdAsync(long id, CancellationToken cancellationToken)
        {
            counter.Count();
            return inner.FindByIdAsync(id, cancellationToken);
        }

        public Task<CampaignDetails?> GetDetailsAsync(long id, CancellationToken cancellationToken) => inner.GetDetailsAsync(id, cancellationToken);

        public Task<Page<CampaignDetails>> ListAsync(PageRequest request, CancellationToken cancellationToken) => inner.ListAsync(request, cancellationToken);
    }
}

public sealed class CountingEmbeddedFixture : EmbeddedFixture
{
    public LookupCounter Counter { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => LookupCounter.Decorate(services, Counter);
}

public sealed class CountingServerFixture : ServerFixture
{
    public LookupCounter Counter { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => LookupCounter.Decorate(services, Counter);
}

public sealed class HotLookupTests_Embedded(CountingEmbeddedFixture fixture) : HotLookupTests(fixture, fixture.Counter), IClassFixture<CountingEmbeddedFixture>;

public sealed class HotLookupTests_Server(CountingServerFixture fixture) : HotLookupTests(fixture, fixture.Counter), IClassFixture<CountingServerFixture>;
