namespace Pulse.Core.Lifecycle;

/// <summary>What a refused ingestion says (the same words on every path).</summary>
public static class SuppressionMessages
{
    public static string ForExternalId(string externalId) =>
        $"The user '{externalId}' was erased and is suppressed: data for it is refused until DELETE /api/v1/suppressions/{{externalId}} lifts the suppression.";

    public static string ForUserId(long userId) =>
        $"The user with id {userId} was erased and is suppressed: data for it is refused until its suppression is lifted (DELETE /api/v1/suppressions/{{externalId}}).";
}
