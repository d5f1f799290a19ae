using Microsoft.Extensions.Options;
using Pulse.Core.Tracking;

namespace Pulse.Api.Tracking;

/// <summary>
/// Runs a roll-up pass every <see cref="TrackingOptions.RollupInterval"/> on every instance. Passes are safe to run
/// concurrently and to abandon at any point (see <see cref="RollupService"/>), so there is no leader to elect: a
/// failed or interrupted pass is simply redone by the next one, here or on another instance.
/// </summary>
internal sealed partial class RollupJob(RollupService rollup, RollupMonitor monitor, IOptions<TrackingOptions> options, ILogger<RollupJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RollupInterval);
        try
        {
            do
            {
                await RunPassAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; an unfinished pass committed nothing and is redone later.
        }
    }

    private async Task RunPassAsync(CancellationToken stoppingToken)
    {
        try
        {
            var pass = await rollup.RunOnceAsync(stoppingToken);
            if (pass.RolledUp > 0)
            {
                LogRolledUp(logger, pass.RolledUp, pass.Pending, pass.Window.From, pass.Window.To);
            }

            monitor.OnPass(pass);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, exception);
            monitor.OnFailure(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rolled up {RolledUp} of {Pending} pending counter buckets in [{From:o}, {To:o})")]
    private static partial void LogRolledUp(ILogger logger, int rolledUp, int pending, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Roll-up pass failed; the next pass retries it")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
