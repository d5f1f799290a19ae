using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Pulse.Core.Access;

namespace Pulse.Api.Access;

/// <summary>
/// ASP.NET Core's rate limiter: a token bucket per key and per scope the endpoint needs (an admin key ingesting uses
/// the ingest bucket), or per client address and scope for requests without a key. Endpoints that need no scope
/// (health, API docs) are not limited. Over the limit: 429 problem details with Retry-After in seconds.
/// </summary>
internal static class RateLimits
{
    public static void AddPulseRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter => { });
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure<IOptions<AccessOptions>>((limiter, access) =>
        {
            var limits = access.Value.RateLimits;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, Partition>(context =>
            {
                var scope = context.GetEndpoint()?.Metadata.GetMetadata<ScopeMetadata>()?.Scope ?? ApiScopes.None;
                var limit = scope switch
                {
                    ApiScopes.Ingest => limits.Ingest,
                    ApiScopes.Read => limits.Read,
                    ApiScopes.Admin => limits.Admin,
                    _ => null,
                };
                if (limit is not { PermitsPerSecond: > 0 })
                {
                    return RateLimitPartition.GetNoLimiter(default(Partition));
                }

                var partition = context.User is ApiKeyPrincipal { Key: { } key }
                    ? new Partition(scope, key.Id, null)
                    : new Partition(scope, 0, context.Connection.RemoteIpAddress);
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limit.Burst,
                    TokensPerPeriod = Math.Max(1, limit.PermitsPerSecond / 10),
                    ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (rejected, cancellationToken) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(AccessProblems.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too Many Requests",
                    $"Over the rate limit of this key (or client address) for this kind of request; retry after {seconds} s."));
            };
        });
    }

    private readonly record struct Partition(ApiScopes Scope, long KeyId, IPAddress? Address);
}
