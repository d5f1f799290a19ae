using Microsoft.Extensions.Options;

namespace Pulse.Api.Sdk;

/// <summary>SDK ingestion's settings (section <c>Sdk</c>).</summary>
public sealed class SdkOptions
{
    public const string Section = "Sdk";

    /// <summary>How long a message id is remembered: a message sent again within it is answered but not stored again.</summary>
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often expired message ids are forgotten.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class SdkOptionsValidator : IValidateOptions<SdkOptions>
{
    public ValidateOptionsResult Validate(string? name, SdkOptions options) =>
        options.DedupeWindow < TimeSpan.FromMinutes(1)
            ? ValidateOptionsResult.Fail($"Sdk:DedupeWindow must be at least a minute (got {options.DedupeWindow}); set it in appsettings.json or Sdk__DedupeWindow, e.g. 7.00:00:00.")
            : options.CleanupInterval < TimeSpan.FromSeconds(1)
                ? ValidateOptionsResult.Fail($"Sdk:CleanupInterval must be at least a second (got {options.CleanupInterval}); e.g. Sdk__CleanupInterval=01:00:00.")
                : ValidateOptionsResult.Success;
}
