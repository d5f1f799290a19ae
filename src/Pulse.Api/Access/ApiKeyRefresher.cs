using Microsoft.Extensions.Options;
using Pulse.Core.Access;

namespace Pulse.Api.Access;

/// <summary>
/// Reloads every key when an instance announces a change (at once), and otherwise every
/// <see cref="AccessOptions.RefreshInterval"/> (2 s by default): that is what makes a revocation reach an instance that
/// missed the broadcast (Redis was down) or a change made by the command line in another process (revocation must
/// take effect within 5 s). A hosted service, so no reload runs after the host stopped.
/// </summary>
internal sealed partial class ApiKeyRefresher(ApiKeyRegistry registry, IOptions<AccessOptions> options, ILogger<ApiKeyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await registry.WaitForChangeAsync(options.Value.RefreshInterval, stoppingToken);
                await registry.RefreshAsync(stoppingToken);
                failing = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                {
                    LogFailed(logger, ex);
                }

                failing = true;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloading the API keys failed; the keys known before stay in force until a reload succeeds")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
