using System.Security.Cryptography;
using System.Text;

namespace Pulse.Redis.Resp;

/// <summary>
/// A Lua script and its SHA1, computed once, so <see cref="RedisConnection.ScriptEvaluateAsync"/> can send the
/// 40-byte digest (EVALSHA) instead of the whole source on every call. Create one instance per script and reuse it.
/// </summary>
public sealed class LuaScript
{
    public LuaScript(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        Source = source;
        SourceBytes = Encoding.UTF8.GetBytes(source);
        // Redis names cached scripts by the SHA1 of their source; the algorithm is dictated by the protocol.
#pragma warning disable CA5350
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(SourceBytes));
#pragma warning restore CA5350
        Sha1Bytes = Encoding.ASCII.GetBytes(Sha1);
    }

    public string Source { get; }

    /// <summary>Lower-case hex SHA1 of the UTF-8 source, as EVALSHA and SCRIPT EXISTS expect.</summary>
    public string Sha1 { get; }

    internal byte[] SourceBytes { get; }

    internal byte[] Sha1Bytes { get; }

    public override string ToString() => $"LuaScript {Sha1}";
}
