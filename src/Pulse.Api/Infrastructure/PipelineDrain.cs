using Pulse.Core.Pipeline;

namespace Pulse.Api.Infrastructure;

/// <summary>
/// On shutdown, after Kestrel has stopped accepting and finished in-flight requests (the server stops
/// before hosted services registered ahead of it), commits whatever is still queued before the process exits.
/// </summary>
internal sealed class PipelineDrain(GroupCommitEventWriter writer, ILogger<PipelineDrain> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var depth = writer.QueueDepth;
        await writer.DrainAsync().WaitAsync(cancellationToken);
        logger.LogInformation("Write pipeline drained ({Events} events were queued at shutdown)", depth);
    }
}
