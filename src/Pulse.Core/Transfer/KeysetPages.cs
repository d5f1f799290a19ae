namespace Pulse.Core.Transfer;

/// <summary>
/// Reads keyset pages in id order and hands on their rows. The next page is asked for as soon as a page has arrived,
/// before its rows are handed on, so the database reads page n + 1 while the caller writes page n: at most two pages
/// are in memory, whatever the export's size.
/// </summary>
internal static class KeysetPages
{
    /// <param name="readPage">Reads the page after the given id (null: the first page).</param>
    /// <param name="idOf">A row's id, the next page's cursor.</param>
    /// <param name="pageSize">The pages' size: a shorter page is the last.</param>
    public static async IAsyncEnumerable<T> ReadAsync<T>(Func<long?, Task<IReadOnlyList<T>>> readPage, Func<T, long> idOf, int pageSize)
    {
        var next = readPage(null);
        while (next is not null)
        {
            var page = await next;
            next = page.Count < pageSize ? null : readPage(idOf(page[^1]));
            foreach (var row in page)
            {
                yield return row;
            }
        }
    }
}
