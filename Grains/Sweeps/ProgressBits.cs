namespace ProbeGrid.Grains.Sweeps;

/// <summary>One bit per unit in a byte array: the compact record of what a sweep has finished.</summary>
public static class ProgressBits
{
    public static byte[] Create(int units) => new byte[(units + 7) / 8];

    public static bool Get(byte[] bits, int index) => (bits[index >> 3] & (1 << (index & 7))) != 0;

    public static void Set(byte[] bits, int index) => bits[index >> 3] |= (byte)(1 << (index & 7));
}
