using Microsoft.Extensions.Options;
using Pulse.Core.Sdk;

namespace Pulse.Api.Sdk;

/// <summary>
/// Forgets message ids older than the dedupe window, every <see cref="SdkOptions.CleanupInterval"/>, on every
/// instance (deleting what another instance deleted already is harmless). A failure is logged and retried next time.
/// </summary>
internal sealed partial class MessageIdCleanup(ISdkEventStore store, IOptions<SdkOptions> options, TimeProvider time, ILogger<MessageIdCleanup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.CleanupInterval, time);
        do
        {
            try
            {
                var forgotten = await store.DeleteMessageIdsBeforeAsync(time.GetUtcNow() - settings.DedupeWindow, stoppingToken);
                LogForgotten(logger, forgotten);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Count} SDK message ids older than the dedupe window")]
    private static partial void LogForgotten(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forgetting expired SDK message ids failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
