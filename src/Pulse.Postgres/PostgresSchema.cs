using Pulse.Core;
using Pulse.Postgres.Sdk;
using Pulse.Postgres.Access;
using Pulse.Postgres.Posts;
using Pulse.Postgres.Tracking;
using Pulse.Postgres.Lifecycle;

namespace Pulse.Postgres;

/// <summary>Every feature's schema scripts, migrated in version order (versions are unique across features).</summary>
public static class PostgresSchema
{
    public static IReadOnlyList<SchemaScript> Scripts { get; } =
        [.. PostgresCrmSchema.Scripts, .. PostgresTrackingSchema.Scripts, .. PostgresPostsSchema.Scripts, .. PostgresAccessSchema.Scripts, .. PostgresSdkSchema.Scripts, .. PostgresLifecycleSchema.Scripts, .. Retention.PostgresRetentionSchema.Scripts, .. Transfer.PostgresTransferSchema.Scripts];
}
