using Microsoft.Extensions.Options;
using Pulse.Core.Lifecycle;

namespace Pulse.Api.Lifecycle;

/// <summary>
/// Loads the suppressions at start-up, then reloads them when an instance announces a change (at once) or, every
/// <see cref="ErasureOptions.SuppressionRefreshInterval"/>, when the store's version (count, highest id) moved: that
/// covers a missed broadcast. The first load runs in start-up, before Pulse serves, so a restarted instance never
/// accepts a suppressed id; if the database does not answer then, nothing is suppressed until a reload succeeds.
/// </summary>
internal sealed partial class SuppressionRefresher(Suppressions suppressions, IOptions<ErasureOptions> options, ILogger<SuppressionRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await suppressions.RefreshAsync(force: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        var woken = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await suppressions.RefreshAsync(force: woken, stoppingToken);
                failing = false;
                woken = await suppressions.WaitForChangeAsync(options.Value.SuppressionRefreshInterval, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                {
                    LogFailed(logger, ex);
                }

                failing = true;
                woken = true;
                await Task.Delay(options.Value.SuppressionRefreshInterval, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloading the suppressions failed; those known before stay in force until a reload succeeds")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
