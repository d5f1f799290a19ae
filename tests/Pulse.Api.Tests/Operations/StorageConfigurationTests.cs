using System.Diagnostics;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Operations;

/// <summary>Half a server-mode configuration stops the host at start-up with a message saying what to set.</summary>
public sealed class StorageConfigurationTests
{
    [Theory]
    [InlineData("Postgres", "Host=127.0.0.1;Port=1", "ConnectionStrings:Redis")]
    [InlineData("Redis", "127.0.0.1:1", "ConnectionStrings:Postgres")]
    public void A_half_configured_server_mode_fails_at_start_with_what_to_set(string key, string value, string expected)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            builder.UseSetting($"ConnectionStrings:{key}", value));

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_half_configured_process_exits_at_once_and_says_what_to_set()
    {
        var started = Stopwatch.GetTimestamp();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PulseProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1",
        }));

        // Exits non-zero with its reason on its output, and the test hears of it at once, not after the readiness deadline.
        Assert.Contains("exited with", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("exited with 0 ", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Redis", error.Message, StringComparison.Ordinal);
        Assert.True(Stopwatch.GetElapsedTime(started) < Eventually.Patience, "start-up failure was noticed only at the deadline");
    }
}
