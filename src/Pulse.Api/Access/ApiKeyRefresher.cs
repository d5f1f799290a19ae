using Microsoft.Extensions.Options;
using Pulse.Core.Access;

namespace Pulse.Api.Access;

/// <summary>
/// Reloads every key on a timer: besides the broadcast on change, this is what makes a revocation reach an instance
/// that missed the broadcast (Redis was down) or a change made by the command line in another process, within
/// <see cref="AccessOptions.RefreshInterval"/> (2 s by default; revocation must take effect within 5 s).
/// </summary>
internal sealed partial class ApiKeyRefresher(ApiKeyRegistry registry, IOptions<AccessOptions> options, ILogger<ApiKeyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        var failing = false;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
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
