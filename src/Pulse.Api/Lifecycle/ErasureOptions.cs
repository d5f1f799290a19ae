using Microsoft.Extensions.Options;

namespace Pulse.Api.Lifecycle;

/// <summary>Section <c>Erasure</c> (docs/lifecycle.md).</summary>
public sealed class ErasureOptions
{
    public const string Section = "Erasure";

    /// <summary>Rows removed per transaction: the longest any other write waits for an erasure is one chunk.</summary>
    public int ChunkSize { get; set; } = 1000;

    /// <summary>Up to this many rows (events, tracked events, likes, posts) an erasure runs inside the request (200); beyond, in the background (202).</summary>
    public int InlineLimit { get; set; } = 5000;

    /// <summary>How often each instance checks whether suppressions changed, besides the broadcast (a safety net).</summary>
    public TimeSpan SuppressionRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}

internal sealed class ErasureOptionsValidator : IValidateOptions<ErasureOptions>
{
    public ValidateOptionsResult Validate(string? name, ErasureOptions options)
    {
        var failures = new List<string>();
        if (options.ChunkSize is < 1 or > 100_000)
        {
            failures.Add($"Erasure:ChunkSize must be between 1 and 100000 (got {options.ChunkSize}).");
        }

        if (options.InlineLimit < 0)
        {
            failures.Add($"Erasure:InlineLimit must be 0 or more (got {options.InlineLimit}); 0 runs every erasure of a user with data in the background.");
        }

        if (options.SuppressionRefreshInterval <= TimeSpan.Zero)
        {
            failures.Add("Erasure:SuppressionRefreshInterval must be positive, e.g. 00:00:02.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
