using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

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
}
