using Pulse.Core;

namespace Pulse.Sqlite.Transfer;

/// <summary>Export and import (versions 700-799). Never edit a released version.</summary>
public static class SqliteTransferSchema
{
    public static readonly SchemaScript[] Scripts =
    [
        // event_imports: one row per imported event, keyed by the SHA-256 of its line (ImportLine.Key), written in the
        // transaction that stores the event, and kept: importing a file again, a day or a year later, stores nothing
        // twice. event_id lets an erasure remove a person's keys with their events. ix_campaign_events_event: the export
        // names each event's campaign, and the link's primary key starts with the campaign.
        new(700, """
            CREATE TABLE event_imports (
                import_key BLOB NOT NULL PRIMARY KEY,
                event_id INTEGER NOT NULL,
                imported_at INTEGER NOT NULL) WITHOUT ROWID;
            CREATE INDEX ix_event_imports_event_id ON event_imports(event_id);
            CREATE INDEX IF NOT EXISTS ix_campaign_events_event ON campaign_events(event_id);
            """),
    ];
}
