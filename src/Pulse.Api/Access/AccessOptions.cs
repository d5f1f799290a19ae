using Microsoft.Extensions.Options;

namespace Pulse.Api.Access;

/// <summary>Section <c>Auth</c>: keys, protected mode, rate limits and CORS (README, "Security").</summary>
public sealed class AccessOptions
{
    public const string Section = "Auth";
    public const int MinBootstrapKeyLength = 32;

    /// <summary>While set, this exact string is accepted as an admin key (it is never stored).</summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>Serve without keys on non-loopback addresses while no key exists (on purpose only).</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Origins whose pages may call Pulse from a browser (CORS).</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>How often every key is reloaded from the database, besides on change (a safety net).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    public ScopeRateLimits RateLimits { get; set; } = new();
}

/// <summary>
/// Token buckets per key (or per client address without one), by the scope the endpoint needs. The defaults are far
/// above what one key reaches on the benchmark machine (about 15,000 writes/s in bench (b) and (c)), so they stop a
/// runaway client on a large machine without limiting honest load; lower them to share one Pulse fairly.
/// </summary>
public sealed class ScopeRateLimits
{
    public RateLimit Ingest { get; set; } = new() { PermitsPerSecond = 50_000, Burst = 100_000 };

    public RateLimit Read { get; set; } = new() { PermitsPerSecond = 10_000, Burst = 20_000 };

    public RateLimit Admin { get; set; } = new() { PermitsPerSecond = 1_000, Burst = 2_000 };
}

public sealed class RateLimit
{
    /// <summary>Requests a second, refilled every 100 ms; 0 turns the limit off.</summary>
    public int PermitsPerSecond { get; set; }

    /// <summary>Requests that may come at once after a quiet time (the bucket's size).</summary>
    public int Burst { get; set; }
}

internal sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var failures = new List<string>();
        if (options.BootstrapAdminKey is { Length: > 0 and < AccessOptions.MinBootstrapKeyLength } key)
        {
            failures.Add($"Auth:BootstrapAdminKey (env Auth__BootstrapAdminKey) must be at least {AccessOptions.MinBootstrapKeyLength} characters long (got {key.Length}); generate one with `openssl rand -base64 32`.");
        }

        if (options.RefreshInterval < TimeSpan.FromMilliseconds(100) || options.RefreshInterval > TimeSpan.FromSeconds(5))
        {
            failures.Add($"Auth:RefreshInterval must be between 00:00:00.1 and 00:00:05 (got {options.RefreshInterval}): a revoked key must be refused everywhere within 5 s.");
        }

        foreach (var (scope, limit) in new[] { ("Ingest", options.RateLimits.Ingest), ("Read", options.RateLimits.Read), ("Admin", options.RateLimits.Admin) })
        {
            if (limit.PermitsPerSecond < 0 || (limit.PermitsPerSecond > 0 && limit.Burst < 1))
            {
                failures.Add($"Auth:RateLimits:{scope}: PermitsPerSecond must be 0 (no limit) or more, and Burst at least 1 (got {limit.PermitsPerSecond}, {limit.Burst}).");
            }
        }

        foreach (var origin in options.CorsOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
            {
                failures.Add($"Auth:CorsOrigins: '{origin}' is not an origin such as https://app.example.com (scheme, host, optional port; no path).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
