using Pulse.Api.Access;
using Pulse.Core.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Pulse.Api.Infrastructure;
using Pulse.Core.Users;

namespace Pulse.Api.Crm;

internal static class UsersApi
{
    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapPost("/", EnrollOrUpdateAsync)
            .WithSummary("Enroll a user, or update an existing user's attributes when `id` is given")
            .RequireScope(ApiScopes.Ingest);
        users.MapGet("/", ListAsync).WithSummary("List users, oldest first").RequireScope(ApiScopes.Read);
        users.MapGet("/count", CountAsync).WithSummary("Count users").RequireScope(ApiScopes.Read);
        return users;
    }

    private static async Task<Results<Ok<ApiResponse<UserView>>, ProblemHttpResult>> EnrollOrUpdateAsync(
        UserInput input, UserService users, CancellationToken cancellationToken)
    {
        var outcome = await users.EnrollOrUpdateAsync(input, cancellationToken);
        return outcome.IsOk ? TypedResults.Ok(ApiResponse<UserView>.Ok(UserView.From(outcome.Value))) : Problems.For(outcome);
    }

    private static async Task<Results<Ok<ApiResponse<UsersPayload>>, ValidationProblem>> ListAsync(
        int? page, int? size, UserService users, CancellationToken cancellationToken)
    {
        if (!Paging.TryCreate(page, size, out var request, out var errors))
        {
            return Problems.Invalid(errors);
        }

        var result = await users.ListAsync(request, cancellationToken);
        return TypedResults.Ok(ApiResponse<UsersPayload>.Ok(new UsersPayload(PageView<UserListItem>.From(result, UserListItem.From))));
    }

    private static async Task<Ok<ApiResponse<UserCount>>> CountAsync(UserService users, CancellationToken cancellationToken) =>
        TypedResults.Ok(ApiResponse<UserCount>.Ok(new UserCount(await users.CountAsync(cancellationToken))));
}
