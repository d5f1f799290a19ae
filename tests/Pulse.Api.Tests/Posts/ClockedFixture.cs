using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Pulse.Api.Tests.Posts;

/// <summary>
/// A host whose <see cref="TimeProvider"/> is a <see cref="FakeTimeProvider"/> starting now (whole milliseconds, as
/// Pulse stores them), so tests can jump past TTLs and time windows instead of sleeping. The clock stands still
/// until a test advances it, timestamps included: elapsed times the host measures with it (the search cache's lock
/// wait and recompute time) stay zero, so a search never gives up on someone else's fill lock and XFetch never
/// refreshes early. Nothing in Pulse makes timers from it. Each fixture owns its data, like the shared fixtures.
/// </summary>
public abstract class ClockedFixture : IAsyncLifetime
{
    private PostsHost? _host;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    public HttpClient Client => _host!.Client;

    public IServiceProvider Services => _host!.Services;

    public async Task InitializeAsync()
    {
        var settings = await PrepareAsync();
        _host = new PostsHost(settings, services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Also runs after a failed <see cref="InitializeAsync"/>, so whatever was created is removed.</summary>
    public async Task DisposeAsync()
    {
        try
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
        finally
        {
            await CleanUpAsync();
        }
    }

    protected abstract Task<Dictionary<string, string?>> PrepareAsync();

    protected abstract Task CleanUpAsync();
}
