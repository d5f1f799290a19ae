namespace Pulse.Redis.Resp;

public sealed partial class RedisConnection
{
    /// <summary>
    /// Runs a Lua script by its SHA1 (EVALSHA); a node that does not have it cached answers NOSCRIPT and gets
    /// the source once (EVAL, which also caches it there). All <paramref name="keys"/> must hash to one slot,
    /// in standalone mode too, so code tested against one server keeps working on a cluster.
    /// </summary>
    /// <exception cref="ArgumentException">The keys hash to different cluster slots.</exception>
    /// <exception cref="RedisServerException">The script raised an error.</exception>
    public async Task<RedisResult> ScriptEvaluateAsync(
        LuaScript script,
        IReadOnlyList<string> keys,
        IReadOnlyList<RedisArg>? args = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(keys);
        args ??= [];
        var slot = SharedSlot(keys);

        var command = new RedisArg[3 + keys.Count + args.Count];
        command[0] = "EVALSHA";
        command[1] = script.Sha1Bytes;
        command[2] = keys.Count;
        for (var i = 0; i < keys.Count; i++)
        {
            command[3 + i] = keys[i];
        }
        for (var i = 0; i < args.Count; i++)
        {
            command[3 + keys.Count + i] = args[i];
        }

        var reply = await ExecuteCoreAsync(slot, command, cancellationToken).ConfigureAwait(false);
        if (reply.IsError && reply.AsString()!.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // The first command was already serialized, so reusing the array is safe.
            command[0] = "EVAL";
            command[1] = script.SourceBytes;
            reply = await ExecuteCoreAsync(slot, command, cancellationToken).ConfigureAwait(false);
        }
        return reply.IsError ? throw new RedisServerException(reply.AsString()!) : reply;
    }

    /// <summary>The slot all keys share, or -1 (any node) without keys.</summary>
    private static int SharedSlot(IReadOnlyList<string> keys)
    {
        var slot = -1;
        for (var i = 0; i < keys.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(keys[i], nameof(keys));
            var keySlot = RedisHashSlot.Compute(keys[i]);
            if (slot >= 0 && keySlot != slot)
            {
                throw new ArgumentException(
                    $"All keys of a Lua script must hash to the same Redis Cluster slot, but '{keys[0]}' is in slot {slot} and '{keys[i]}' in slot {keySlot}. "
                    + "Give the keys a common hash tag, e.g. '{user:42}:a' and '{user:42}:b'.",
                    nameof(keys));
            }
            slot = keySlot;
        }
        return slot;
    }
}
