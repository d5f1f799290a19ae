using Pulse.Core.Access;

namespace Pulse.Api.Access;

/// <summary>Writes keys' last-used times (at most one a minute per key, see <see cref="ApiKeyRegistry"/>), off the request path.</summary>
internal sealed partial class ApiKeyUseRecorder(ApiKeyRegistry registry, IApiKeyStore store, ILogger<ApiKeyUseRecorder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (id, at) in registry.Uses.ReadAllAsync(stoppingToken))
        {
            try
            {
                await store.TouchAsync(id, at, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, id, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording the last use of API key {Id} failed")]
    private static partial void LogFailed(ILogger logger, long id, Exception exception);
}
