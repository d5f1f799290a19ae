using Pulse.Core;

namespace Pulse.Sqlite;

/// <summary>The CRM tables (users, campaigns, events and their properties and links). Never edit a released version.</summary>
public static class SqliteCrmSchema
{
    public static readonly SchemaScript[] Scripts =
    [
        new(1, """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                external_id TEXT NOT NULL UNIQUE,
                user_attributes TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL);
            CREATE TABLE campaigns (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                properties TEXT NOT NULL,
                created_at INTEGER NOT NULL);
            CREATE TABLE events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                user_id INTEGER NOT NULL REFERENCES users(id),
                external_id TEXT NOT NULL,
                properties TEXT NOT NULL,
                created_at INTEGER NOT NULL);
            CREATE INDEX ix_events_name_id ON events(name, id);
            CREATE INDEX ix_events_created_at ON events(created_at, id);
            CREATE TABLE event_properties (
                event_id INTEGER NOT NULL REFERENCES events(id),
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                num_value REAL,
                PRIMARY KEY (event_id, key)) WITHOUT ROWID;
            CREATE INDEX ix_event_properties_key_value ON event_properties(key, value);
            CREATE INDEX ix_event_properties_key_num ON event_properties(key, num_value) WHERE num_value IS NOT NULL;
            CREATE TABLE campaign_events (
                campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
                event_id INTEGER NOT NULL REFERENCES events(id),
                PRIMARY KEY (campaign_id, event_id)) WITHOUT ROWID;
            """),
        // Events gain their own time (event_time), which searches filter on; created_at stays the time Pulse received
        // them. The CRM API's events have no other time, so existing rows take created_at. SQLite adds a NOT NULL
        // column only with a constant default: 0 is never left in a row (the UPDATE below, and every INSERT names it).
        new(2, """
            ALTER TABLE events ADD COLUMN event_time INTEGER NOT NULL DEFAULT 0;
            UPDATE events SET event_time = created_at;
            CREATE INDEX ix_events_event_time ON events(event_time, id);
            DROP INDEX ix_events_created_at;
            """),
        // SDK messages keep what flattening cannot: the message as sent (returned by searches), the client's sentAt,
        // and whether its time was clamped (more than a day ahead). The CRM API's events leave them empty.
        new(3, """
            ALTER TABLE events ADD COLUMN message TEXT;
            ALTER TABLE events ADD COLUMN sent_at INTEGER;
            ALTER TABLE events ADD COLUMN time_clamped INTEGER NOT NULL DEFAULT 0;
            """),
        // Events per minute of their time (event_time's minute, Unix ms of its start), kept by the write path in the
        // events' own transaction (SqliteEventMinutes), so the dashboard reads 60 rows instead of counting index entries
        // (docs/dashboard.md). Filled here from the events already stored; the remainder arithmetic floors times before
        // 1970 too (SQLite's % keeps the dividend's sign).
        new(4, """
            CREATE TABLE event_minutes (
                minute INTEGER PRIMARY KEY,
                count INTEGER NOT NULL);
            INSERT INTO event_minutes (minute, count)
                SELECT event_time - (((event_time % 60000) + 60000) % 60000) AS m, COUNT(*) FROM events GROUP BY m;
            """),
    ];
}
