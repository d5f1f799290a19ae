using Pulse.Core.Paging;
using Pulse.Core.Validation;

namespace Pulse.Api.Crm;

internal static class Paging
{
    public static bool TryCreate(int? page, int? size, out PageRequest request, out ValidationErrors errors)
    {
        errors = new ValidationErrors();
        if (page is < 0)
        {
            errors.Add("page", "'page' must be 0 or greater.");
        }

        if (size is < 1 or > PageRequest.MaxSize)
        {
            errors.Add("size", $"'size' must be between 1 and {PageRequest.MaxSize}.");
        }

        request = new PageRequest(page ?? 0, size ?? PageRequest.DefaultSize);
        return errors.IsEmpty;
    }
}
