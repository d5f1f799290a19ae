namespace Pulse.Redis.Resp;

internal static class TaskExtensions
{
    /// <summary>
    /// Marks a task's failure as observed. Used for tasks that may fault with nobody awaiting them (a shared
    /// connect attempt whose only caller gave up, handshake steps after an earlier one failed), so they do not
    /// raise <see cref="TaskScheduler.UnobservedTaskException"/>.
    /// </summary>
    public static T Observed<T>(this T task) where T : Task
    {
        task.ContinueWith(
            static faulted => _ = faulted.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return task;
    }
}
