namespace ProbeGrid.Grains.Sweeps;

/// <summary>One bit per unit in a byte array: the compact record of what a sweep has finished.</summary>
public static class ProgressBits
{
    public static byte[] Create(int units) => new byte[(units + 7) / 8];

    /// <summary>False beyond the array: units a following sweep added since the bits were last grown are not done.</summary>
    public static bool Get(byte[] bits, int index) => index >> 3 < bits.Length && (bits[index >> 3] & (1 << (index & 7))) != 0;

    /// <summary>The bits, grown (zeros appended) to hold <paramref name="units"/>; the same array when it already does.</summary>
    public static byte[] Grown(byte[] bits, int units)
    {
        var size = (units + 7) / 8;
        if (bits.Length >= size) return bits;
        var grown = new byte[size];
        bits.CopyTo(grown, 0);
        return grown;
    }

    public static void Set(byte[] bits, int index) => bits[index >> 3] |= (byte)(1 << (index & 7));
}
