using Microsoft.Extensions.Options;

namespace Pulse.Api.Tracking;

/// <summary>Counter and roll-up settings, bound from the <c>Tracking</c> section (e.g. <c>Tracking__RollupInterval=00:00:15</c>).</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>How often each instance runs a roll-up pass (server mode).</summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long after a minute ends its bucket is rolled up; must exceed write latency plus clock skew between instances.</summary>
    public TimeSpan RollupGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long Redis keeps a bucket; roll-ups must happen within it (instances down longer lose those buckets).</summary>
    public TimeSpan BucketRetention { get; set; } = TimeSpan.FromHours(3);
}

public sealed class TrackingOptionsValidator : IValidateOptions<TrackingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrackingOptions options)
    {
        var failures = new List<string>();
        if (options.RollupInterval < TimeSpan.FromMilliseconds(100) || options.RollupInterval > TimeSpan.FromHours(1))
        {
            failures.Add("Tracking:RollupInterval must be between 00:00:00.1 and 01:00:00 (e.g. 00:00:15).");
        }

        if (options.RollupGrace < TimeSpan.Zero || options.RollupGrace > TimeSpan.FromHours(1))
        {
            failures.Add("Tracking:RollupGrace must be between 00:00:00 and 01:00:00 (e.g. 00:02:00).");
        }

        if (options.BucketRetention < options.RollupGrace + TimeSpan.FromMinutes(10) || options.BucketRetention > TimeSpan.FromDays(7))
        {
            failures.Add("Tracking:BucketRetention must be at least Tracking:RollupGrace plus 10 minutes and at most 7 days (e.g. 03:00:00).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
