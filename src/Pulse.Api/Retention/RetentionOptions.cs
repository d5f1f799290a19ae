using Microsoft.Extensions.Options;

namespace Pulse.Api.Retention;

/// <summary>
/// How long data is kept, bound from the <c>Retention</c> section (e.g. <c>Retention__EventsDays=90</c>). Unset keeps
/// everything, which is the default. Events expire by their own time (<c>timestamp</c>: what searches filter on and what
/// an SDK may backdate), tracked events by theirs, minute counters by their minute; totals are kept (docs/lifecycle.md).
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>The longest <c>*Days</c> setting accepted (100 years).</summary>
    public const int MaxDays = 36_500;

    /// <summary>Events (with their properties and campaign links) older than this many days are removed.</summary>
    public int? EventsDays { get; set; }

    /// <summary>Tracked events (<c>POST /api/events</c>) older than this many days are removed.</summary>
    public int? TrackedEventsDays { get; set; }

    /// <summary>Per-minute counters (the roll-ups behind <c>/api/statistics</c> ranges) older than this many days are removed; totals stay.</summary>
    public int? StatMinutesDays { get; set; }

    /// <summary>
    /// Server mode: how many days of ingestion one partition range of the event tables covers (docs/lifecycle.md,
    /// "Retention"); unset: a quarter of EventsDays (TrackedEventsDays for tracked events), at least one day.
    /// </summary>
    public int? PartitionDays { get; set; }

    /// <summary>How often a pass runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after start-up the first pass runs (default: at once).</summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.Zero;
}

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
        CheckDays(failures, nameof(RetentionOptions.EventsDays), options.EventsDays);
        CheckDays(failures, nameof(RetentionOptions.TrackedEventsDays), options.TrackedEventsDays);
        CheckDays(failures, nameof(RetentionOptions.StatMinutesDays), options.StatMinutesDays);
        CheckDays(failures, nameof(RetentionOptions.PartitionDays), options.PartitionDays);
        if (options.Interval < TimeSpan.FromSeconds(1) || options.Interval > TimeSpan.FromDays(1))
        {
            failures.Add($"Retention:Interval must be between 00:00:01 and 1.00:00:00 (got {options.Interval}); e.g. Retention__Interval=00:05:00.");
        }

        if (options.StartDelay < TimeSpan.Zero || options.StartDelay > TimeSpan.FromDays(1))
        {
            failures.Add($"Retention:StartDelay must be between 00:00:00 and 1.00:00:00 (got {options.StartDelay}); e.g. Retention__StartDelay=00:01:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckDays(List<string> failures, string setting, int? days)
    {
        if (days is { } value && value is < 1 or > RetentionOptions.MaxDays)
        {
            failures.Add($"Retention:{setting} must be a whole number of days from 1 to {RetentionOptions.MaxDays} (got {value}), or unset to keep everything; "
                + $"set it in appsettings.json or as Retention__{setting}, e.g. 90.");
        }
    }
}
