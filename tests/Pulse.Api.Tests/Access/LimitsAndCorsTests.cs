using System.Net;
using System.Net.Http.Headers;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Access;

/// <summary>Rate limits per key and scope (429 with Retry-After), and CORS for the configured origins only.</summary>
public abstract class LimitsAndCorsTests(PulseFixture fixture)
{
    public const string AllowedOrigin = "https://app.example.com";

    /// <summary>Read requests: 1 a second with a burst of 3; ingest keeps its (generous) default.</summary>
    public static Dictionary<string, string?> With(Dictionary<string, string?> settings)
    {
        settings["Auth:BootstrapAdminKey"] = IAccessFixture.BootstrapKey;
        settings["Auth:RateLimits:Read:PermitsPerSecond"] = "1";
        settings["Auth:RateLimits:Read:Burst"] = "3";
        settings["Auth:CorsOrigins:0"] = AllowedOrigin;
        return settings;
    }

    [Fact]
    public async Task Over_its_rate_limit_a_key_gets_429_with_retry_after_and_other_scopes_and_keys_go_on()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            var response = await SendAsync(HttpMethod.Get, "/api/v1/users/count", IAccessFixture.BootstrapKey);
            statuses.Add(response.StatusCode);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(limited);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 3, string.Join(", ", statuses));
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        var problem = await Json.ReadAsync(limited);
        Assert.Equal(429, problem["status"]!.GetValue<int>());
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);

        // Another scope is another bucket; health is never limited.
        using var ingest = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = System.Net.Http.Json.JsonContent.Create(new { eventType = "CLICK", sessionId = "s", metadata = new { componentId = 1 } }) };
        ingest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IAccessFixture.BootstrapKey);
        Assert.Equal(HttpStatusCode.Created, (await fixture.Client.SendAsync(ingest)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_preflight_from_a_configured_origin_allows_the_key_headers_and_others_are_not_allowed()
    {
        var allowed = await PreflightAsync(AllowedOrigin);
        var other = await PreflightAsync("https://evil.example.net");

        Assert.True(allowed.IsSuccessStatusCode, $"{(int)allowed.StatusCode}");
        Assert.Equal(AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var headers = string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", headers, StringComparison.Ordinal);
        Assert.Contains("x-api-key", headers, StringComparison.Ordinal);
        Assert.Contains("content-type", headers, StringComparison.Ordinal);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/events");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,x-api-key,content-type");
        return await fixture.Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await fixture.Client.SendAsync(request);
    }
}

public sealed class LimitedEmbeddedFixture : EmbeddedFixture
{
    protected override async Task<Dictionary<string, string?>> PrepareAsync() => LimitsAndCorsTests.With(await base.PrepareAsync());
}

public sealed class LimitedServerFixture : ServerFixture
{
    protected override async Task<Dictionary<string, string?>> PrepareAsync() => LimitsAndCorsTests.With(await base.PrepareAsync());
}

public sealed class LimitsAndCorsTests_Embedded(LimitedEmbeddedFixture fixture) : LimitsAndCorsTests(fixture), IClassFixture<LimitedEmbeddedFixture>;

public sealed class LimitsAndCorsTests_Server(LimitedServerFixture fixture) : LimitsAndCorsTests(fixture), IClassFixture<LimitedServerFixture>;
