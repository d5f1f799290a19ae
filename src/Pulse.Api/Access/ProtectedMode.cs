using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Pulse.Core.Access;

namespace Pulse.Api.Access;

/// <summary>
/// Redis's "protected mode" for Pulse: while no key exists and no bootstrap key is set, requests need no key only if
/// every address Pulse listens on is loopback (or <c>Auth:AllowAnonymous=true</c> says to run open on purpose).
/// Listening elsewhere without a key stops the service with a message that says what to do. The check runs on the
/// addresses actually bound, once the server listens; until it passed nothing is served without a key.
/// Loads every key before the server starts (a hosted service, after the schema's migrator).
/// </summary>
internal sealed partial class ProtectedMode(
    ApiKeyRegistry registry,
    IOptions<AccessOptions> options,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<ProtectedMode> logger) : IHostedService
{
    private volatile bool _allowsOpen;

    /// <summary>Whether requests may go without a key while no key exists.</summary>
    public bool AllowsOpen => _allowsOpen;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await registry.RefreshAsync(cancellationToken);
        lifetime.ApplicationStarted.Register(Check);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Check()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = addresses.Where(address => !IsLoopback(address)).ToList();
        if (options.Value.AllowAnonymous)
        {
            _allowsOpen = true;
            if (registry.IsOpen)
            {
                LogOpenOnPurpose(logger, string.Join(", ", addresses));
            }

            return;
        }

        if (exposed.Count > 0)
        {
            if (registry.IsOpen)
            {
                LogRefused(logger, string.Join(", ", exposed));
                Environment.ExitCode = 1;
                lifetime.StopApplication();
            }

            return; // keys exist: every request needs one
        }

        _allowsOpen = true;
        if (registry.IsOpen)
        {
            LogOpen(logger, string.Join(", ", addresses));
        }
    }

    /// <summary>localhost, 127.0.0.0/8, ::1 and Unix sockets; wildcards (*, +, 0.0.0.0, [::]) and other names are not.</summary>
    internal static bool IsLoopback(string address)
    {
        var binding = BindingAddress.Parse(address);
        if (binding.IsUnixPipe)
        {
            return true;
        }

        var host = binding.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
            (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pulse is open: no API key exists, so requests need none. It listens on loopback only ({Addresses}). " +
        "Create a key to require keys: dotnet run --project src/Pulse.Api -- keys create --name admin --scope admin")]
    private static partial void LogOpen(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pulse is open on purpose (Auth:AllowAnonymous=true): no API key exists, and anyone who reaches {Addresses} may read and write everything")]
    private static partial void LogOpenOnPurpose(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Pulse stops: it listens on {Addresses}, which is not loopback, and no API key exists, so anyone who reaches it could read and write everything. " +
        "Create a key first (dotnet run --project src/Pulse.Api -- keys create --name admin --scope admin), or set Auth:BootstrapAdminKey (env Auth__BootstrapAdminKey), " +
        "or set Auth:AllowAnonymous=true (env Auth__AllowAnonymous=true) to run open on purpose")]
    private static partial void LogRefused(ILogger logger, string addresses);
}
