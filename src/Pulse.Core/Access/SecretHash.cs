using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Pulse.Core.Access;

/// <summary>
/// SHA-256 of a key's secret: what is stored and what a presented key is looked up by. A fast hash is enough here,
/// unlike for passwords: a secret is 256 random bits (<see cref="ApiKeySecrets"/>), so nobody can try enough
/// candidates against a leaked hash for a slow hash to matter, and every request pays the hash. A value type of four
/// words, so a lookup allocates nothing.
/// </summary>
public readonly record struct SecretHash(ulong A, ulong B, ulong C, ulong D)
{
    public const int Length = 32;

    public static SecretHash Of(ReadOnlySpan<char> secret)
    {
        Span<byte> utf8 = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(secret.Length) <= utf8.Length
            ? utf8[..Encoding.UTF8.GetBytes(secret, utf8)]
            : Encoding.UTF8.GetBytes(secret.ToArray());
        Span<byte> hash = stackalloc byte[Length];
        SHA256.HashData(bytes, hash);
        return FromBytes(hash);
    }

    public static SecretHash FromBytes(ReadOnlySpan<byte> hash) =>
        hash.Length != Length
            ? throw new ArgumentException($"A secret hash is {Length} bytes.", nameof(hash))
            : new(BinaryPrimitives.ReadUInt64BigEndian(hash), BinaryPrimitives.ReadUInt64BigEndian(hash[8..]),
                BinaryPrimitives.ReadUInt64BigEndian(hash[16..]), BinaryPrimitives.ReadUInt64BigEndian(hash[24..]));

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, A);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), B);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(16), C);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(24), D);
        return bytes;
    }
}
