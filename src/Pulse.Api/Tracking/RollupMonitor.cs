using Pulse.Core.Tracking;

namespace Pulse.Api.Tracking;

/// <summary>What the roll-up job did last, for logs, health and tests that wait for a pass to complete.</summary>
internal sealed class RollupMonitor
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _succeeded;
    private long _failed;

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failed => Interlocked.Read(ref _failed);

    public RollupPass? LastPass { get; private set; }

    public Exception? LastError { get; private set; }

    public void OnPass(RollupPass pass)
    {
        LastPass = pass;
        Interlocked.Increment(ref _succeeded);
        Signal();
    }

    public void OnFailure(Exception exception)
    {
        LastError = exception;
        Interlocked.Increment(ref _failed);
        Signal();
    }

    /// <summary>Waits until <paramref name="count"/> more passes have succeeded than when called.</summary>
    public async Task WaitForPassesAsync(int count, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var target = Succeeded + count;
        while (true)
        {
            Task next;
            lock (_lock)
            {
                next = _next.Task;
            }

            if (Succeeded >= target)
            {
                return;
            }

            await next.WaitAsync(cancellation.Token);
        }
    }

    private void Signal()
    {
        TaskCompletionSource completed;
        lock (_lock)
        {
            completed = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        completed.SetResult();
    }
}
