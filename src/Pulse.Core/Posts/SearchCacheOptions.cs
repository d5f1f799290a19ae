namespace Pulse.Core.Posts;

/// <summary>Tuning of the search cache's fill protocol (configuration section <c>Posts:SearchCache</c>).</summary>
public sealed class SearchCacheOptions
{
    public const string Section = "Posts:SearchCache";

    /// <summary>How long a caller waits for another caller's fill before it queries the database itself.</summary>
    public TimeSpan LockWait { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a fill lock lives if its holder dies without releasing it.</summary>
    public TimeSpan LockLease { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a waiting caller looks for the filled entry.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>XFetch's beta: above 1 refreshes earlier, below 1 later.</summary>
    public double EarlyRefreshBeta { get; set; } = EarlyRefresh.DefaultBeta;
}
