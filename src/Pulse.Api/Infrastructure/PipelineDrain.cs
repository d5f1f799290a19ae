using Pulse.Core.Pipeline;

namespace Pulse.Api.Infrastructure;

/// <summary>
/// On shutdown, after Kestrel has stopped accepting and finished in-flight requests (the server stops
/// before the hosted services registered ahead of it), commits whatever is still queued before the process exits.
/// </summary>
internal sealed class PipelineDrain(IEnumerable<IWritePipeline> pipelines, ILogger<PipelineDrain> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var pipeline in pipelines)
        {
            var depth = pipeline.QueueDepth;
            await pipeline.DrainAsync().WaitAsync(cancellationToken);
            logger.LogInformation("Write pipeline {Pipeline} drained ({Items} items were queued at shutdown)", pipeline.Name, depth);
        }
    }
}
