namespace Pulse.Core.Query;

/// <summary>
/// Ordinal comparison by Unicode code point, i.e. the byte order of UTF-8 that PostgreSQL's "C" collation and
/// SQLite's BINARY collation use. Plain UTF-16 ordinal differs for characters above U+FFFF (emoji), whose
/// surrogates sort below U+E000–U+FFFF in UTF-16 although their code points sort above.
/// </summary>
internal static class CodePointOrder
{
    public static int Compare(string left, string right)
    {
        var common = left.AsSpan().CommonPrefixLength(right);
        if (common == left.Length || common == right.Length)
        {
            return left.Length.CompareTo(right.Length);
        }

        return Weight(left[common]).CompareTo(Weight(right[common]));
    }

    // Moves surrogates (D800–DFFF) above E000–FFFF; all other code units keep their relative order.
    private static int Weight(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
