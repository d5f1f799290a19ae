namespace Pulse.Core.Access;

/// <summary>
/// What a key may do. <see cref="Ingest"/> writes event data and reads nothing; <see cref="Read"/> reads data;
/// <see cref="Admin"/> may do everything, including managing keys. A key holds one or more.
/// </summary>
[Flags]
public enum ApiScopes
{
    None = 0,
    Ingest = 1,
    Read = 2,
    Admin = 4,
}

public static class ApiScopeNames
{
    public const string Ingest = "ingest";
    public const string Read = "read";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Ingest, Read, Admin];

    /// <summary>Whether a key with <paramref name="held"/> may do what needs <paramref name="needed"/>.</summary>
    public static bool Covers(this ApiScopes held, ApiScopes needed) =>
        (held & ApiScopes.Admin) != 0 || (held & needed) == needed;

    /// <summary>The highest scope held, which names the key's prefix: admin, then read, then ingest.</summary>
    public static ApiScopes Highest(this ApiScopes scopes) =>
        (scopes & ApiScopes.Admin) != 0 ? ApiScopes.Admin : (scopes & ApiScopes.Read) != 0 ? ApiScopes.Read : scopes & ApiScopes.Ingest;

    public static string Name(this ApiScopes scope) => scope switch
    {
        ApiScopes.Ingest => Ingest,
        ApiScopes.Read => Read,
        ApiScopes.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "one scope"),
    };

    /// <summary>The scopes held, lowest first: <c>["ingest", "read"]</c>.</summary>
    public static IReadOnlyList<string> Names(this ApiScopes scopes) =>
        [.. All.Where(name => (scopes & Parse(name)!.Value) != 0)];

    public static ApiScopes? Parse(string? name) => name switch
    {
        Ingest => ApiScopes.Ingest,
        Read => ApiScopes.Read,
        Admin => ApiScopes.Admin,
        _ => null,
    };
}
