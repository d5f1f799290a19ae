using Pulse.Core;

namespace Pulse.Sqlite.Sdk;

/// <summary>SDK ingestion's tables (versions 400-499). Never edit a released version.</summary>
public static class SqliteSdkSchema
{
    public static readonly SchemaScript[] Scripts =
    [
        // sdk_message_ids: the dedupe window's unique key, written in the transaction that stores the message's event;
        // forgotten after the window by received_at. user_aliases: an anonymous id's user whose events also belong to
        // a known user (alias, $create_alias, $identify with $anon_distinct_id); the first link of an id wins.
        new(400, """
            CREATE TABLE sdk_message_ids (
                message_id TEXT NOT NULL PRIMARY KEY,
                received_at INTEGER NOT NULL) WITHOUT ROWID;
            CREATE INDEX ix_sdk_message_ids_received_at ON sdk_message_ids(received_at);
            CREATE TABLE user_aliases (
                alias_user_id INTEGER NOT NULL PRIMARY KEY,
                user_id INTEGER NOT NULL,
                created_at INTEGER NOT NULL);
            CREATE INDEX ix_user_aliases_user_id ON user_aliases(user_id);
            """),
    ];
}
