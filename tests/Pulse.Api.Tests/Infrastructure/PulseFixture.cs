using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Pulse.Api.Tests.Infrastructure;

/// <summary>
/// One Pulse host per test class, configured for a storage mode. Each fixture owns its data: its own SQLite
/// file, or its own PostgreSQL database and Redis key prefix, so classes run in parallel in any order.
/// </summary>
public abstract class PulseFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;
    private Dictionary<string, string?> _settings = [];

    private HttpClient? _client;

    public HttpClient Client => _client ?? throw new InvalidOperationException("The fixture did not start.");

    public IServiceProvider Services => _factory!.Services;

    public abstract string Mode { get; }

    /// <summary>Whether the host is a real Kestrel server on a free loopback port (for clients outside the process: <see cref="HttpClient.BaseAddress"/>).</summary>
    protected virtual bool ListensOnLoopback => false;

    /// <summary>The host's settings (configuration keys, as <c>Section:Key</c>).</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    public async Task InitializeAsync()
    {
        _settings = await PrepareAsync();
        _factory = new PulseAppFactory(_settings, ConfigureServices);
        if (ListensOnLoopback)
        {
            _factory.UseKestrel(0);
            _factory.StartServer();
        }

        _client = _factory.CreateClient();
    }

    /// <summary>Also runs after a failed <see cref="InitializeAsync"/>, so whatever was started is stopped.</summary>
    public async Task DisposeAsync()
    {
        try
        {
            _client?.Dispose();
            if (_factory is not null)
            {
                await _factory.DisposeAsync();
            }
        }
        finally
        {
            await CleanUpAsync();
        }
    }

    /// <summary>
    /// A second Pulse host on the same data (the same SQLite file, or the same PostgreSQL database and Redis prefix),
    /// as a second instance behind a load balancer; the caller disposes it.
    /// </summary>
    public WebApplicationFactory<Program> StartAnotherInstance() => new PulseAppFactory(_settings, ConfigureServices);

    /// <summary>Creates the fixture's private resources and returns the host's configuration.</summary>
    protected abstract Task<Dictionary<string, string?>> PrepareAsync();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    /// <summary>Lets a fixture decorate or replace services (counting decorators, clocks).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    private sealed class PulseAppFactory(Dictionary<string, string?> settings, Action<IServiceCollection> configureServices) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureServices(configureServices);
        }
    }
}
