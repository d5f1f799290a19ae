namespace Pulse.Redis.Resp;

/// <summary>
/// A command written to a connection and waiting for its reply. Replies arrive in the order commands were
/// written, so the reader completes the oldest pending command with each reply it parses.
/// </summary>
internal sealed class PendingCommand : TaskCompletionSource<RedisResult>
{
    // Continuations run on the thread pool so a slow caller can never stall the socket reader loop.
    public PendingCommand(string? name, bool discardReply = false)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Name = name;
        DiscardReply = discardReply;
    }

    /// <summary>Command name for diagnostics (the first argument when it is text).</summary>
    public string? Name { get; }

    /// <summary>Internal commands (ASKING, heartbeat PING) whose reply nobody awaits; they never time out individually.</summary>
    public bool DiscardReply { get; }

    /// <summary><see cref="Environment.TickCount64"/> when the command was queued; monotonic along the pending queue.</summary>
    public long EnqueuedAt { get; set; }

    /// <summary>Awaits the reply; cancellation abandons the wait but the reply is still consumed in order when it comes.</summary>
    public async Task<RedisResult> WaitAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.UnsafeRegister(
            static (state, token) => ((PendingCommand)state!).TrySetCanceled(token), this);
        return await Task.ConfigureAwait(false);
    }
}
