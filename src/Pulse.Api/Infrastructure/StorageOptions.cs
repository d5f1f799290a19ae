using Microsoft.Extensions.Options;

namespace Pulse.Api.Infrastructure;

/// <summary>
/// Bound from <c>ConnectionStrings</c>. Configuring Postgres (with Redis) selects server mode; otherwise the
/// service runs embedded on SQLite with in-process caches.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "ConnectionStrings";

    public string Sqlite { get; set; } = "Data Source=data/pulse.db";

    public string? Postgres { get; set; }

    public string? Redis { get; set; }

    public bool IsServerMode => !string.IsNullOrWhiteSpace(Postgres);
}

public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> with the validation message when the options are invalid.</summary>
    public static void ThrowIfInvalid(StorageOptions options)
    {
        var result = new StorageOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(StorageOptions), result.Failures);
        }
    }

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var hasPostgres = !string.IsNullOrWhiteSpace(options.Postgres);
        var hasRedis = !string.IsNullOrWhiteSpace(options.Redis);
        if (hasPostgres && !hasRedis)
        {
            return ValidateOptionsResult.Fail(
                "Server mode needs Redis too: set ConnectionStrings:Redis (env ConnectionStrings__Redis), e.g. \"127.0.0.1:6379\" or a cluster's \"host1:7001,host2:7002\".");
        }

        if (hasRedis && !hasPostgres)
        {
            return ValidateOptionsResult.Fail(
                "ConnectionStrings:Redis is set but ConnectionStrings:Postgres is not: set both for server mode, or neither for embedded mode.");
        }

        if (!hasPostgres && string.IsNullOrWhiteSpace(options.Sqlite))
        {
            return ValidateOptionsResult.Fail("Embedded mode needs ConnectionStrings:Sqlite, e.g. \"Data Source=data/pulse.db\".");
        }

        return ValidateOptionsResult.Success;
    }
}
