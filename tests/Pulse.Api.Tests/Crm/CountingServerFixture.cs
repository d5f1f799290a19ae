using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Crm;

public sealed class CountingServerFixture : ServerFixture
{
    public LookupCounter Counter { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => LookupCounter.Decorate(services, Counter);
}
