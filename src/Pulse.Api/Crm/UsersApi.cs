using Microsoft.AspNetCore.Http.HttpResults;
using Pulse.Api.Infrastructure;
using Pulse.Core;
using Pulse.Core.Users;

namespace Pulse.Api.Crm;

internal static class UsersApi
{
    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapPost("/", EnrollOrUpdateAsync)
            .WithSummary("Enroll a user, or update an existing user's attributes when `id` is given");
        users.MapGet("/", ListAsync).WithSummary("List users, oldest first");
        users.MapGet("/count", CountAsync).WithSummary("Count users");
        return users;
    }

    private static async Task<Results<Ok<ApiResponse<UserView>>, ValidationProblem, ProblemHttpResult>> EnrollOrUpdateAsync(
        UserInput input, UserService users, CancellationToken cancellationToken)
    {
        var outcome = await users.EnrollOrUpdateAsync(input, cancellationToken);
        return outcome.Kind switch
        {
            OutcomeKind.Ok => TypedResults.Ok(ApiResponse<UserView>.Ok(UserView.From(outcome.Value!))),
            OutcomeKind.Invalid => Problems.Invalid(outcome.Errors!),
            OutcomeKind.NotFound => Problems.NotFound(outcome.Message!),
            _ => Problems.Conflict(outcome.Message!),
        };
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
