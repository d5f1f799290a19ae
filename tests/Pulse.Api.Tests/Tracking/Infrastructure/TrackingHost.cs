using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tracking;

namespace Pulse.Api.Tests.Tracking.Infrastructure;

/// <summary>One Pulse instance on a shared clock, with its own roll-up fault hook. Several may share one database and Redis prefix.</summary>
public sealed class TrackingHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    public TrackingHost(IReadOnlyDictionary<string, string?> settings, FakeTimeProvider clock)
    {
        _factory = new HostFactory(settings, clock, Faults);
        Client = _factory.CreateClient();
    }

    public HttpClient Client { get; }

    public RollupFaults Faults { get; } = new();

    public IServiceProvider Services => _factory.Services;

    internal RollupMonitor Rollups => Services.GetRequiredService<RollupMonitor>();

    /// <summary>Waits for two more successful passes: the first may have started before the caller's change, the second did not.</summary>
    public Task WaitForRollupAsync() => Rollups.WaitForPassesAsync(2, Eventually.Patience);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class HostFactory(IReadOnlyDictionary<string, string?> settings, FakeTimeProvider clock, RollupFaults faults)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                faults.Inject(services);
            });
        }
    }
}
