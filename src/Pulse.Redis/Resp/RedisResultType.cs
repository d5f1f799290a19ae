namespace Pulse.Redis.Resp;

/// <summary>The RESP2 reply kinds.</summary>
public enum RedisResultType
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
}
