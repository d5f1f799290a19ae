namespace Pulse.Core.Posts;

/// <summary>
/// Runs the work a request causes besides its answer (a tracked event, a recent keyword). It happens after the
/// request's own work has succeeded or committed, so a failure is reported, not thrown: failing a committed like
/// toggle would make the client retry it and flip it back, and a search answer is valid without its event.
/// </summary>
internal static class SideEffects
{
    public static async Task RunAsync(IPostsDiagnostics diagnostics, string name, Func<Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await work();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure of a side effect is reported and must not fail the request.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            diagnostics.SideEffectFailed(name, exception);
        }
    }
}
