using Pulse.Core;
using Pulse.Sqlite.Sdk;
using Pulse.Sqlite.Access;
using Pulse.Sqlite.Posts;
using Pulse.Sqlite.Tracking;
using Pulse.Sqlite.Lifecycle;

namespace Pulse.Sqlite;

/// <summary>Every feature's schema scripts, migrated in version order (versions are unique across features).</summary>
public static class SqliteSchema
{
    public static IReadOnlyList<SchemaScript> Scripts { get; } =
        [.. SqliteCrmSchema.Scripts, .. SqliteTrackingSchema.Scripts, .. SqlitePostsSchema.Scripts, .. SqliteAccessSchema.Scripts, .. SqliteSdkSchema.Scripts, .. SqliteLifecycleSchema.Scripts, .. Retention.SqliteRetentionSchema.Scripts, .. Transfer.SqliteTransferSchema.Scripts];
}
