using System.Globalization;
using Microsoft.Extensions.Logging.Console;
using Pulse.Core;
using Pulse.Core.Access;

namespace Pulse.Api.Access;

/// <summary>
/// <c>dotnet run --project src/Pulse.Api -- keys create|list|revoke ...</c>: manages keys with the service's own
/// configuration (storage mode, connection strings: appsettings, environment, or <c>--Section:Key value</c>
/// arguments), without serving. <c>create</c> prints the secret alone on standard output, so a script can capture
/// it; everything else goes to standard error. A running Pulse sees the change within its refresh interval (2 s),
/// at once in server mode (Redis broadcast).
/// </summary>
internal static class KeysCommand
{
    public const string Name = "keys";

    private const string Usage = """
        Usage:
          keys create --name NAME --scope SCOPE [--scope SCOPE...] [--expires 2027-01-31T00:00:00Z]
          keys list
          keys revoke ID
        Scopes: ingest, read, admin (several: repeat --scope, or --scope ingest,read).
        Configuration as for the service, e.g. --ConnectionStrings:Sqlite "Data Source=data/pulse.db".
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var command, out var hostArgs))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. hostArgs]);
        builder.AddPulse();
        builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", "Warning")]);
        builder.Logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        await using var app = builder.Build();

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await app.Services.GetRequiredService<ISchemaMigrator>().MigrateAsync(timeout.Token);
            var keys = app.Services.GetRequiredService<ApiKeyService>();
            return command.Verb switch
            {
                "create" => await CreateAsync(keys, command, timeout.Token),
                "list" => await ListAsync(keys, timeout.Token),
                _ => await RevokeAsync(keys, command.Id, timeout.Token),
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"keys {command.Verb} failed: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> CreateAsync(ApiKeyService keys, Command command, CancellationToken cancellationToken)
    {
        var outcome = await keys.CreateAsync(command.KeyName, command.Scopes, command.ExpiresAt, cancellationToken);
        if (!outcome.IsOk)
        {
            await Console.Error.WriteLineAsync(outcome.Message);
            return 2;
        }

        var key = outcome.Value.Key;
        await Console.Error.WriteLineAsync(
            $"Created key {key.Id} '{key.Name}' ({string.Join(", ", key.Scopes.Names())}), expires {key.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture) ?? "never"}. " +
            "Its secret follows; it is not shown again.");
        Console.Out.WriteLine(outcome.Value.Secret);
        return 0;
    }

    private static async Task<int> ListAsync(ApiKeyService keys, CancellationToken cancellationToken)
    {
        var all = await keys.ListAsync(cancellationToken);
        Console.Out.WriteLine($"{"ID",-6} {"NAME",-24} {"SCOPES",-20} {"CREATED",-20} {"EXPIRES",-20} {"LAST USED",-20} REVOKED");
        foreach (var key in all)
        {
            Console.Out.WriteLine(
                $"{key.Id,-6} {key.Name,-24} {string.Join(",", key.Scopes.Names()),-20} {Time(key.CreatedAt),-20} {Time(key.ExpiresAt),-20} {Time(key.LastUsedAt),-20} {Time(key.RevokedAt)}");
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(ApiKeyService keys, long id, CancellationToken cancellationToken)
    {
        if (!await keys.RevokeAsync(id, cancellationToken))
        {
            await Console.Error.WriteLineAsync($"No key has id {id}.");
            return 1;
        }

        await Console.Error.WriteLineAsync($"Revoked key {id}.");
        return 0;
    }

    private static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    private static bool TryParse(string[] args, out Command command, out List<string> hostArgs)
    {
        command = new Command(args.FirstOrDefault() ?? "", null, [], null, 0);
        hostArgs = [];
        var scopes = new List<string?>();
        var positional = new List<string>();
        string? name = null;
        DateTimeOffset? expires = null;
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (arg)
            {
                case "--name" when value is not null:
                    name = value;
                    i++;
                    break;
                case "--scope" when value is not null:
                    scopes.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    i++;
                    break;
                case "--expires" when value is not null:
                    if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    {
                        return false;
                    }

                    expires = parsed;
                    i++;
                    break;
                case var _ when arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal):
                    // Host configuration: --Section:Key=value or --Section:Key value.
                    hostArgs.Add(arg);
                    if (!arg.Contains('=', StringComparison.Ordinal) && value is not null)
                    {
                        hostArgs.Add(value);
                        i++;
                    }

                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        return false;
                    }

                    positional.Add(arg);
                    break;
            }
        }

        long id = 0;
        var valid = command.Verb switch
        {
            "create" => positional.Count == 0,
            "list" => positional.Count == 0,
            "revoke" => positional.Count == 1 && long.TryParse(positional[0], NumberStyles.None, CultureInfo.InvariantCulture, out id),
            _ => false,
        };
        command = command with { KeyName = name, Scopes = scopes, ExpiresAt = expires, Id = id };
        return valid;
    }

    private sealed record Command(string Verb, string? KeyName, List<string?> Scopes, DateTimeOffset? ExpiresAt, long Id);
}
