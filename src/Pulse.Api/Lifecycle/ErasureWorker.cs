using System.Threading.Channels;
using Pulse.Core.Lifecycle;

namespace Pulse.Api.Lifecycle;

/// <summary>
/// Runs erasures in the background: those the API answered with 202, and on start-up every erasure whose record is
/// not completed (a restart mid-way resumes it: every step is idempotent). A failed run (database or Redis down) is
/// retried after <see cref="RetryDelay"/> until it completes. Several instances may resume the same erasure at once;
/// nothing is removed or counted twice.
/// </summary>
internal sealed partial class ErasureWorker(ErasureService erasures, ILogger<ErasureWorker> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly Channel<Erasure> _queue = Channel.CreateUnbounded<Erasure>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Erasure erasure) => _queue.Writer.TryWrite(erasure);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ResumeAsync(stoppingToken);
        await foreach (var erasure in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var done = await erasures.RunAsync(erasure, stoppingToken);
                LogCompleted(logger, done.Id, done.Counts.Total);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, erasure.Id, exception);
                _ = RetryLaterAsync(erasure, stoppingToken);
            }
        }
    }

    private async Task ResumeAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var erasure in await erasures.UnfinishedAsync(stoppingToken))
                {
                    LogResuming(logger, erasure.Id);
                    Enqueue(erasure);
                }

                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, 0, exception);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private async Task RetryLaterAsync(Erasure erasure, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(RetryDelay, stoppingToken);
            Enqueue(erasure);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the record stays unfinished and the next start resumes it.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erasure {Id} completed: {Rows} rows and cached items removed")]
    private static partial void LogCompleted(ILogger logger, long id, long rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming erasure {Id}, unfinished when Pulse last stopped")]
    private static partial void LogResuming(ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Erasure {Id} failed; retried in 5 s (0: reading unfinished erasures)")]
    private static partial void LogFailed(ILogger logger, long id, Exception exception);
}
