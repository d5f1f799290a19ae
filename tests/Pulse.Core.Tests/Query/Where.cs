using Pulse.Core.Query;

namespace Pulse.Core.Tests.Query;

/// <summary>Shorthand for "does this where string match an event with these properties".</summary>
internal static class Where
{
    public static bool Matches(string where, params (string Key, string Value)[] properties) =>
        WhereParser.Parse(where).Evaluate(properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    public static WhereParseError Error(string? where)
    {
        Assert.False(WhereParser.TryParse(where, out var expression, out var error));
        Assert.Null(expression);
        return error;
    }
}
