using System.Buffers;
using System.Text;

namespace Pulse.Redis.Resp;

/// <summary>
/// Redis Cluster key hashing: CRC16 (XMODEM) of the key's UTF-8 bytes mod 16384. When the key contains
/// <c>{tag}</c> with a non-empty tag, only the tag is hashed, so <c>{user:1}:a</c> and <c>{user:1}:b</c> share a slot.
/// </summary>
public static class RedisHashSlot
{
    public const int SlotCount = 16384;

    private static readonly ushort[] Table = CreateTable();

    public static int Compute(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var length = Encoding.UTF8.GetByteCount(key);
        byte[]? rented = null;
        var bytes = length <= 256 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        Encoding.UTF8.GetBytes(key, bytes);
        var slot = Compute(bytes);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return slot;
    }

    public static int Compute(ReadOnlySpan<byte> key)
    {
        var open = key.IndexOf((byte)'{');
        if (open >= 0)
        {
            var close = key[(open + 1)..].IndexOf((byte)'}');
            if (close > 0)
            {
                key = key.Slice(open + 1, close);
            }
        }
        return Crc16(key) & (SlotCount - 1);
    }

    private static ushort Crc16(ReadOnlySpan<byte> bytes)
    {
        ushort crc = 0;
        foreach (var b in bytes)
        {
            crc = (ushort)((crc << 8) ^ Table[((crc >> 8) ^ b) & 0xFF]);
        }
        return crc;
    }

    private static ushort[] CreateTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < table.Length; i++)
        {
            var crc = (ushort)(i << 8);
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
            table[i] = crc;
        }
        return table;
    }
}
