namespace Pulse.Core.Paging;

public readonly record struct PageRequest(int Page, int Size)
{
    public const int DefaultSize = 20;
    public const int MaxSize = 100;

    public long Offset => (long)Page * Size;
}
