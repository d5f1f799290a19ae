using Pulse.Core;

namespace Pulse.Sqlite.Lifecycle;

/// <summary>
/// Data lifecycle (versions 500–599): erasures (the durable record a resumed erasure continues from, and the audit
/// record: who, whom, when, counts per kind) and suppressions (the external id, needed to refuse it, and the erased
/// user's numeric id, which the tracker's user ids name). The indexes let an erasure find a user's rows in chunks
/// instead of scanning: events and tracked events by user, campaign links by event, likes and
/// posts by user. Never edit a released version.
/// </summary>
public static class SqliteLifecycleSchema
{
    public static readonly SchemaScript[] Scripts =
    [
        new(500, """
            CREATE TABLE erasures (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                external_id TEXT NOT NULL,
                user_ids TEXT NOT NULL,
                alias_external_ids TEXT NOT NULL,
                suppress INTEGER NOT NULL,
                key_id INTEGER,
                key_name TEXT NOT NULL,
                requested_at INTEGER NOT NULL,
                completed_at INTEGER,
                users INTEGER NOT NULL DEFAULT 0,
                events INTEGER NOT NULL DEFAULT 0,
                event_properties INTEGER NOT NULL DEFAULT 0,
                campaign_links INTEGER NOT NULL DEFAULT 0,
                message_ids INTEGER NOT NULL DEFAULT 0,
                aliases INTEGER NOT NULL DEFAULT 0,
                tracked_events INTEGER NOT NULL DEFAULT 0,
                likes INTEGER NOT NULL DEFAULT 0,
                posts INTEGER NOT NULL DEFAULT 0,
                post_hashtags INTEGER NOT NULL DEFAULT 0,
                likes_on_posts INTEGER NOT NULL DEFAULT 0,
                recent_keywords INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX ix_erasures_unfinished ON erasures(id) WHERE completed_at IS NULL;
            CREATE TABLE suppressions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                external_id TEXT NOT NULL UNIQUE,
                user_id INTEGER,
                erasure_id INTEGER,
                created_at INTEGER NOT NULL);
            CREATE INDEX ix_events_user_id ON events(user_id);
            CREATE INDEX ix_tracked_events_user_id ON tracked_events(user_id);
            CREATE INDEX ix_campaign_events_event_id ON campaign_events(event_id);
            CREATE INDEX ix_post_likes_user_id ON post_likes(user_id);
            CREATE INDEX ix_posts_user_id ON posts(user_id);
            """),
    ];
}
