namespace Pulse.Core.Validation;

/// <summary>Small, reusable field checks that add messages to a <see cref="ValidationErrors"/>.</summary>
public static class Rules
{
    public static bool RequiredText(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, $"'{field}' is required and must not be blank.");
            return false;
        }

        return MaxLength(errors, field, value, maxLength);
    }

    public static bool MaxLength(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            errors.Add(field, $"'{field}' must be at most {maxLength} characters (got {value.Length}).");
            return false;
        }

        return true;
    }

    /// <summary>Checks a property list: size, non-blank unique keys, value lengths.</summary>
    public static void Properties(ValidationErrors errors, string field, IReadOnlyList<PropertyInput?>? properties, bool required)
    {
        if (properties is null)
        {
            if (required)
            {
                errors.Add(field, $"'{field}' is required (use [] for none).");
            }

            return;
        }

        if (properties.Count > Limits.MaxProperties)
        {
            errors.Add(field, $"At most {Limits.MaxProperties} properties are allowed (got {properties.Count}).");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < properties.Count; i++)
        {
            var item = properties[i];
            var path = $"{field}[{i}]";
            if (item is null)
            {
                errors.Add(path, "A property must be an object with 'key' and 'value'.");
                continue;
            }

            if (RequiredText(errors, $"{path}.key", item.Key, Limits.MaxPropertyKeyLength) && !seen.Add(item.Key!))
            {
                errors.Add($"{path}.key", $"Duplicate key '{item.Key}': keys must be unique within one list.");
            }

            if (item.Value is null)
            {
                errors.Add($"{path}.value", $"'{path}.value' is required.");
            }
            else
            {
                MaxLength(errors, $"{path}.value", item.Value, Limits.MaxPropertyValueLength);
            }
        }
    }

    public static IReadOnlyList<Property> ToProperties(IReadOnlyList<PropertyInput?>? input)
    {
        if (input is null || input.Count == 0)
        {
            return [];
        }

        var result = new Property[input.Count];
        for (var i = 0; i < input.Count; i++)
        {
            result[i] = new Property(input[i]!.Key!, input[i]!.Value!);
        }

        return result;
    }
}

/// <summary>A property as it arrives on the wire, before validation (fields may be missing).</summary>
public sealed record PropertyInput(string? Key, string? Value);
