using System.Globalization;
using System.Numerics;

namespace ProbeGrid.Analysis;

/// <summary>
/// Integer parameters as the spec gives them, in invariant-culture text. A whole number outside the allowed range
/// (trainCount 1000000000000) is named too large or too small, with the range, rather than "not an integer"; the
/// value is quoted by a short prefix only, so a huge one is never echoed whole.
/// </summary>
public static class IntegerText
{
    private const int ShownPrefix = 40;

    /// <summary>
    /// Parses <paramref name="text"/> as an integer in [<paramref name="min"/>, <paramref name="max"/>]. When it is a whole
    /// number out of range, <paramref name="outOfRange"/> says so ("'…' is too large: the allowed range is …"), to follow
    /// "parameter 'x' "; when it is no integer at all, it is null and the caller says what an integer is for.
    /// </summary>
    public static bool TryParse(string text, long min, long max, out long value, out string? outOfRange)
    {
        var trimmed = text.Trim();
        var range = $"the allowed range is {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        value = 0;
        if (!BigInteger.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            // 1e12 is a whole number too, written with an exponent: too large, if it is out of range.
            if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real)
                && Math.Floor(real) == real && (real < min || real > max))
                whole = new BigInteger(real);
            else
            {
                outOfRange = null;
                return false;
            }
        }
        if (whole < min || whole > max)
        {
            outOfRange = $"{Quote(trimmed)} is too {(whole > max ? "large" : "small")}: {range}";
            return false;
        }
        (value, outOfRange) = ((long)whole, null);
        return true;
    }

    private static string Quote(string value) =>
        value.Length <= ShownPrefix ? $"'{value}'" : $"'{value[..ShownPrefix]}…' ({value.Length.ToString(CultureInfo.InvariantCulture)} characters)";
}
