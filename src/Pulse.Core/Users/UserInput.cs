namespace Pulse.Core.Users;

/// <summary>The body of <c>POST /api/v1/users</c>: without <see cref="Id"/> it enrolls, with it it updates.</summary>
public sealed record UserInput(long? Id, string? ExternalId, string? UserAttributes);
