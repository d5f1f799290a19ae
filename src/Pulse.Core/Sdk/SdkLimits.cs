namespace Pulse.Core.Sdk;

/// <summary>
/// What SDK messages may hold. Beyond Segment's own limits (32 KB a message, 500 KB a batch request, 2,500 messages a
/// batch). Properties that do not fit the search index are kept in the stored message, not rejected: see
/// <see cref="PropertyFlattener"/>.
/// </summary>
public static class SdkLimits
{
    public const int MaxMessageBytes = 64 * 1024;
    public const int MaxRequestBytes = 4 * 1024 * 1024;
    public const int MaxBatchMessages = 2500;
    public const int MaxMessageIdLength = 200;

    /// <summary>Indexed properties per message; the rest (in document order) stay in the stored message only.</summary>
    public const int MaxIndexedProperties = 256;
}
