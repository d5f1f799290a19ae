using Pulse.Core.Validation;

namespace Pulse.Core;

public enum OutcomeKind
{
    Ok,
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>The result of a domain operation: a value, or the reason there is none. Hosts map kinds to HTTP.</summary>
public sealed class Outcome<T>
{
    private Outcome(OutcomeKind kind, T? value, string? message, ValidationErrors? errors)
    {
        Kind = kind;
        Value = value;
        Message = message;
        Errors = errors;
    }

    public OutcomeKind Kind { get; }

    public T? Value { get; }

    /// <summary>Why the operation failed (for NotFound and Conflict).</summary>
    public string? Message { get; }

    public ValidationErrors? Errors { get; }

    public static Outcome<T> Ok(T value) => new(OutcomeKind.Ok, value, null, null);

    public static Outcome<T> Invalid(ValidationErrors errors) => new(OutcomeKind.Invalid, default, errors.Summary(), errors);

    public static Outcome<T> Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    public static Outcome<T> NotFound(string message) => new(OutcomeKind.NotFound, default, message, null);

    public static Outcome<T> Conflict(string message) => new(OutcomeKind.Conflict, default, message, null);
}
