namespace Pulse.Core.Users;

/// <summary>A CRM user. <see cref="UserAttributes"/> is the client's JSON object kept verbatim as a string.</summary>
public sealed record User(long Id, string ExternalId, string UserAttributes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
