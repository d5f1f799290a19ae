using System.Text;

namespace Pulse.Api.Tests.Tracking.Infrastructure;

/// <summary>
/// The Redis Cluster hash slot of a key (CRC16/XMODEM of the key or of its <c>{hash tag}</c>, mod 16384), computed
/// here because a standalone connection does not compute slots.
/// </summary>
public static class HashSlot
{
    public static int Of(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key).AsSpan();
        var open = bytes.IndexOf((byte)'{');
        if (open >= 0)
        {
            var close = bytes[(open + 1)..].IndexOf((byte)'}');
            if (close > 0)
            {
                bytes = bytes.Slice(open + 1, close);
            }
        }

        var crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }

        return (crc & 0xFFFF) % 16384;
    }
}
