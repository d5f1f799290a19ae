namespace Pulse.Redis.Tests.Infrastructure;

internal static class TestKeys
{
    /// <summary>A name no other test (or earlier run against a shared server) uses.</summary>
    public static string Unique(string name) => $"test:{name}:{Guid.NewGuid():N}";
}
