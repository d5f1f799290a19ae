using Microsoft.Extensions.Options;

namespace Pulse.Api.Retention;

/// <summary>
/// Runs a retention pass at start-up (after <see cref="RetentionOptions.StartDelay"/>) and every <see cref="RetentionOptions.Interval"/> on every instance; the store lets
/// one pass run at a time across instances. A failed pass is logged and redone at the next interval: each of its steps
/// commits on its own, so what it removed stays removed.
/// </summary>
internal sealed partial class RetentionJob(RetentionRunner runner, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> logger)
    : BackgroundService
{
    /// <summary>
    /// Prepares the store's layout (server mode partitions the tables whose retention is set, once) before the host
    /// serves requests: hosted services start before the server listens, as the schema migrations do.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await runner.PrepareAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            if (options.Value.StartDelay > TimeSpan.Zero)
            {
                await Task.Delay(options.Value.StartDelay, time, stoppingToken);
            }

            do
            {
                try
                {
                    await runner.RunOnceAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: every step that finished is committed; the rest waits for the next start.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
