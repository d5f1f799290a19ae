using Npgsql;

namespace Pulse.Postgres;

internal static class PostgresValues
{
    public static NpgsqlCommand With(this NpgsqlCommand command, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    public static DateTimeOffset ReadTime(this NpgsqlDataReader reader, int ordinal) =>
        new(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);
}
