using System.Diagnostics.CodeAnalysis;
using Pulse.Core.Validation;

namespace Pulse.Core;

public enum OutcomeKind
{
    Ok,
    Invalid,
    NotFound,
    Conflict,

    /// <summary>The data names an erased and suppressed user (an erasure with <c>?suppress=true</c>): refused, not stored.</summary>
    Suppressed,
}

/// <summary>The result of a domain operation: a value, or the reason there is none. Hosts map kinds to HTTP.</summary>
public sealed class Outcome<T>
{
    internal Outcome(OutcomeKind kind, T? value, string? message, ValidationErrors? errors)
    {
        Kind = kind;
        Value = value;
        Message = message;
        Errors = errors;
    }

    public OutcomeKind Kind { get; }

    /// <summary>True when the operation succeeded; then <see cref="Value"/> is set, otherwise <see cref="Message"/> says why not.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Message))]
    public bool IsOk => Kind == OutcomeKind.Ok;

    public T? Value { get; }

    /// <summary>Why the operation failed (for Invalid, the summary of <see cref="Errors"/>).</summary>
    public string? Message { get; }

    /// <summary>Every broken rule, by field (Invalid only).</summary>
    public ValidationErrors? Errors { get; }

    /// <summary>This failure as the outcome of an operation of another result type.</summary>
    public Outcome<TOther> Fail<TOther>() =>
        IsOk ? throw new InvalidOperationException("A successful outcome has no failure to pass on.") : new(Kind, default, Message, Errors);

    public static Outcome<T> Ok(T value) => new(OutcomeKind.Ok, value ?? throw new ArgumentNullException(nameof(value)), null, null);

    public static Outcome<T> Invalid(ValidationErrors errors) => new(OutcomeKind.Invalid, default, errors.Summary(), errors);

    public static Outcome<T> Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    public static Outcome<T> NotFound(string message) => new(OutcomeKind.NotFound, default, message, null);

    public static Outcome<T> Conflict(string message) => new(OutcomeKind.Conflict, default, message, null);

    public static Outcome<T> Suppressed(string message) => new(OutcomeKind.Suppressed, default, message, null);
}
