namespace Pulse.Core.Validation;

/// <summary>Collects field errors in the shape of RFC 9457 validation problems: field → messages.</summary>
public sealed class ValidationErrors
{
    private Dictionary<string, List<string>>? _errors;

    public bool IsEmpty => _errors is null;

    public void Add(string field, string message)
    {
        _errors ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!_errors.TryGetValue(field, out var messages))
        {
            messages = [];
            _errors[field] = messages;
        }

        messages.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary()
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (_errors is not null)
        {
            foreach (var (field, messages) in _errors)
            {
                result[field] = [.. messages];
            }
        }

        return result;
    }

    /// <summary>A one-line summary, used as the problem's <c>detail</c>.</summary>
    public string Summary()
    {
        if (_errors is null)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        foreach (var (field, messages) in _errors)
        {
            parts.Add($"{field}: {string.Join("; ", messages)}");
        }

        return string.Join(" | ", parts);
    }
}
