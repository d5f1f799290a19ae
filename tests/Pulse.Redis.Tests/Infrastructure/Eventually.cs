namespace Pulse.Redis.Tests.Infrastructure;

internal static class Eventually
{
    /// <summary>
    /// How long a test waits for what takes milliseconds on an idle machine: generous because a busy machine is slow, not
    /// because the behaviour may be (a condition that never holds still fails the test).
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Retries <paramref name="attempt"/> until it returns true, failing the test after <paramref name="timeout"/>.</summary>
    public static async Task SucceedsAsync(Func<Task<bool>> attempt, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await attempt())
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                lastError = ex;
            }
            await Task.Delay(25);
        }
        Assert.Fail($"{what} did not happen within {timeout.TotalSeconds:0.#} s. Last error: {lastError?.Message ?? "none"}");
    }
}
