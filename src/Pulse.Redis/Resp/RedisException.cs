namespace Pulse.Redis.Resp;

/// <summary>
/// Base class of every failure the Redis client reports. Callers that fall back to another store
/// when Redis misbehaves catch this type (plus <see cref="OperationCanceledException"/> for their own cancellation).
/// </summary>
public class RedisException : Exception
{
    public RedisException()
    {
    }

    public RedisException(string message) : base(message)
    {
    }

    public RedisException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>The node could not be reached, the socket died, or the client is backing off after a failed connect.</summary>
public class RedisConnectionException : RedisException
{
    public RedisConnectionException()
    {
    }

    public RedisConnectionException(string message) : base(message)
    {
    }

    public RedisConnectionException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>No reply arrived within the configured command timeout (syncTimeout).</summary>
public class RedisTimeoutException : RedisException
{
    public RedisTimeoutException()
    {
    }

    public RedisTimeoutException(string message) : base(message)
    {
    }

    public RedisTimeoutException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>The server answered with an error reply; <see cref="Exception.Message"/> is the server's text (e.g. "WRONGTYPE ...").</summary>
public class RedisServerException : RedisException
{
    public RedisServerException()
    {
    }

    public RedisServerException(string message) : base(message)
    {
    }

    public RedisServerException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
