using System.Globalization;

namespace Pulse.Core.Query;

/// <summary>
/// The single definition of "numeric" for the <c>where</c> DSL and for the stores' <c>num_value</c> column:
/// <c>^-?\d+(\.\d+)?$</c> with ASCII digits only. Hand-written rather than a Regex because .NET's <c>\d</c>
/// also matches non-ASCII digits and its <c>$</c> accepts a trailing newline, neither of which is meant.
/// </summary>
public static class NumericValue
{
    public static bool TryParse(string s, out double value)
    {
        value = 0;
        if (!IsNumeric(s))
        {
            return false;
        }

        // Cannot fail after the shape check; very long inputs round (or become ±Infinity) like any double.
        value = double.Parse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return true;
    }

    private static bool IsNumeric(string s)
    {
        if (string.IsNullOrEmpty(s))
        {
            return false;
        }

        var i = s[0] == '-' ? 1 : 0;
        var integerDigits = CountDigits(s, i);
        if (integerDigits == 0)
        {
            return false;
        }

        i += integerDigits;
        if (i == s.Length)
        {
            return true;
        }

        return s[i] == '.' && CountDigits(s, i + 1) is var fraction && fraction > 0 && i + 1 + fraction == s.Length;
    }

    private static int CountDigits(string s, int start)
    {
        var i = start;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i - start;
    }
}
