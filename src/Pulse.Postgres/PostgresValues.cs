using System.Text.Json;
using Npgsql;
using Pulse.Core;
using Pulse.Core.Caching;

namespace Pulse.Postgres;

internal static class PostgresValues
{
    public const string UniqueViolation = "23505";

    public static string PropertiesJson(IReadOnlyList<Property> properties) =>
        JsonSerializer.Serialize(properties as List<Property> ?? [.. properties], CoreJsonContext.Default.ListProperty);

    public static IReadOnlyList<Property> ParseProperties(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.ListProperty) ?? [];

    public static NpgsqlCommand With(this NpgsqlCommand command, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    public static DateTimeOffset ReadTime(this NpgsqlDataReader reader, int ordinal) =>
        new(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);
}
