using Pulse.Core;

namespace Pulse.Postgres.Sdk;

/// <summary>SDK ingestion's tables (versions 400-499). Never edit a released version.</summary>
public static class PostgresSdkSchema
{
    public static readonly SchemaScript[] Scripts =
    [
        // sdk_message_ids: the dedupe window's unique key, written in the transaction that stores the message's event;
        // forgotten after the window by received_at (ids arrive in time order: BRIN). user_aliases: an anonymous id's
        // user whose events also belong to a known user; the first link of an id wins.
        new(400, """
            CREATE TABLE sdk_message_ids (
                message_id text COLLATE "C" NOT NULL PRIMARY KEY,
                received_at timestamptz NOT NULL);
            CREATE INDEX ix_sdk_message_ids_received_at ON sdk_message_ids USING brin (received_at);
            CREATE TABLE user_aliases (
                alias_user_id bigint NOT NULL PRIMARY KEY,
                user_id bigint NOT NULL,
                created_at timestamptz NOT NULL);
            CREATE INDEX ix_user_aliases_user_id ON user_aliases (user_id);
            """),
    ];
}
