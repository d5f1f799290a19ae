using Pulse.Core;

namespace Pulse.Sqlite.Retention;

/// <summary>Retention's indexes (versions 600-699). Never edit a released version.</summary>
public static class SqliteRetentionSchema
{
    public static readonly SchemaScript[] Scripts =
    [
        // What a chunk of expired rows is found by: events by (event_time, id) exists already; campaign links by their
        // event (the key leads with the campaign), tracked events by their time. Minute counters are found through
        // (type, minute) one type at a time, components' minute counters by their minute (the key leads with the type
        // and component, so without it every chunk would read all of a type's rows).
        new(600, """
            CREATE INDEX IF NOT EXISTS ix_campaign_events_event_id ON campaign_events(event_id);
            CREATE INDEX IF NOT EXISTS ix_tracked_events_occurred_at ON tracked_events(occurred_at);
            CREATE INDEX IF NOT EXISTS ix_stat_component_minutes_minute ON stat_component_minutes(minute);
            """),
    ];
}
