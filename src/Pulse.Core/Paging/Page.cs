namespace Pulse.Core.Paging;

/// <summary>One page of a listing, numbered from zero.</summary>
public sealed record Page<T>(IReadOnlyList<T> Content, int PageNumber, int Size, long TotalElements)
{
    public long TotalPages => Size == 0 ? 0 : (TotalElements + Size - 1) / Size;
}
