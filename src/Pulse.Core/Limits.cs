namespace Pulse.Core;

/// <summary>
/// Input limits. Anything beyond them is a 400, so no single request can bloat the stores. Key and value
/// lengths keep (key, value) within PostgreSQL's B-tree entry limit (2,704 bytes) even at 4 bytes a character.
/// </summary>
public static class Limits
{
    public const int MaxNameLength = 200;
    public const int MaxExternalIdLength = 256;
    public const int MaxPropertyKeyLength = 100;
    public const int MaxPropertyValueLength = 500;
    public const int MaxProperties = 64;
    public const int MaxUserAttributesLength = 16 * 1024;
    public const int MaxBatchSize = 1000;
    public const int MaxWhereLength = 4096;
}
