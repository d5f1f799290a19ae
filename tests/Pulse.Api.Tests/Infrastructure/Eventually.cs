using System.Diagnostics;

namespace Pulse.Api.Tests.Infrastructure;

/// <summary>
/// Waiting for what happens asynchronously (a server comes up, a background pass runs, writes pile up): poll until
/// the condition holds, and fail the test once a deadline has passed. The deadline is generous because a busy
/// machine is slow, not because the behaviour may be: a condition that never holds still fails the test, later.
/// Never a fixed sleep followed by an assertion that assumes something happened by then.
/// </summary>
public static class Eventually
{
    /// <summary>How long a test waits for something that takes milliseconds on an idle machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls <paramref name="condition"/> until it returns true. An exception thrown by one attempt (a refused
    /// connection, a timed-out request) is retried; the last one is reported if the deadline passes.
    /// </summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Patience;
        var started = Stopwatch.GetTimestamp();
        Exception? lastError = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                lastError = ex;
            }

            if (Stopwatch.GetElapsedTime(started) >= limit)
            {
                Assert.Fail($"{what}: not within {limit.TotalSeconds:0.#} s." + (lastError is null ? "" : $" Last error: {lastError.GetType().Name}: {lastError.Message}"));
            }

            await Task.Delay(Interval);
        }
    }

    /// <inheritdoc cref="HoldsAsync(Func{Task{bool}}, string, TimeSpan?)"/>
    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, timeout);
}
