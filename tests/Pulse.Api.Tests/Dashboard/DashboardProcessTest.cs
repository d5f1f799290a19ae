using Microsoft.Playwright;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Dashboard;

/// <summary>
/// A real Pulse process on a free port with its own storage, an HTTP client for it and a Chromium page on it; all
/// stopped (Pulse by its PID) and removed after each test, also when it fails.
/// </summary>
public abstract class DashboardProcessTest(ProcessStorage storage, IReadOnlyDictionary<string, string>? settings = null) : IAsyncLifetime
{
    private PulseProcess? _pulse;
    private DashboardBrowser? _browser;

    protected HttpClient Client { get; private set; } = null!;

    protected DashboardBrowser Browser => _browser!;

    protected IPage Page => Browser.Page;

    public async Task InitializeAsync()
    {
        var environment = await storage.PrepareAsync();
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        _pulse = await PulseProcess.StartAsync(environment);
        Client = new HttpClient { BaseAddress = _pulse.BaseAddress };
        _browser = await DashboardBrowser.LaunchAsync(_pulse.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_browser is not null)
            {
                await _browser.DisposeAsync();
            }
        }
        finally
        {
            Client?.Dispose();
            if (_pulse is not null)
            {
                await _pulse.DisposeAsync();
            }

            await storage.CleanUpAsync();
        }
    }
}
