using Microsoft.Extensions.Options;
using Pulse.Core.Pipeline;

namespace Pulse.Api.Infrastructure;

internal sealed class GroupCommitOptionsValidator : IValidateOptions<GroupCommitOptions>
{
    public ValidateOptionsResult Validate(string? name, GroupCommitOptions options)
    {
        var failures = new List<string>();
        if (options.Writers is < 1 or > 64)
        {
            failures.Add($"Pipeline:Writers must be between 1 and 64 (got {options.Writers}).");
        }

        if (options.MaxBatchEvents < 1)
        {
            failures.Add($"Pipeline:MaxBatchEvents must be at least 1 (got {options.MaxBatchEvents}).");
        }

        if (options.ConcurrentCommitMinEvents < 1)
        {
            failures.Add($"Pipeline:ConcurrentCommitMinEvents must be at least 1 (got {options.ConcurrentCommitMinEvents}).");
        }

        if (options.QueueCapacity < options.MaxBatchEvents)
        {
            failures.Add($"Pipeline:QueueCapacity ({options.QueueCapacity}) must be at least Pipeline:MaxBatchEvents ({options.MaxBatchEvents}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
