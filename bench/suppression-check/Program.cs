// bench/suppression-check: the CPU the suppression check adds to every ingested event, in-process and single-threaded
// (so the figure does not depend on how busy the machine is). Every ingestion path asks Suppressions.IsSuppressed for
// the event's external id (CRM, SDK) or numeric user id (tracker, posts): a set lookup in memory, no database round
// trip. Measured for an id that is not suppressed (every event but a refused one's), with 0, 1 000 and 100 000
// suppressed ids loaded through the same code the host uses.
// Usage: dotnet run -c Release --project bench/suppression-check [iterations=5000000]
using System.Diagnostics;
using Pulse.Core.Caching;
using Pulse.Core.Lifecycle;

var iterations = args.Length > 0 ? int.Parse(args[0]) : 5_000_000;
var externalIds = Enumerable.Range(0, 1024).Select(i => $"user-{i:D6}-{Guid.NewGuid():N}").ToArray();
foreach (var count in new[] { 0, 1_000, 100_000 })
{
    var suppressions = new Suppressions(new Store(count), new NoSharedCache());
    await suppressions.RefreshAsync(force: true, CancellationToken.None);
    var byId = Measure(() =>
    {
        var refused = 0;
        for (var i = 0; i < iterations; i++)
        {
            refused += suppressions.IsSuppressed(externalIds[i & 1023]) ? 1 : 0;
        }

        return refused;
    });
    var byNumber = Measure(() =>
    {
        var refused = 0;
        for (var i = 0; i < iterations; i++)
        {
            refused += suppressions.IsSuppressed((long?)(i + 10_000_000L)) ? 1 : 0;
        }

        return refused;
    });
    Console.WriteLine($"{count,7} suppressed: {byId:F1} ns per external-id check, {byNumber:F1} ns per user-id check (medians of 5)");
}

double Measure(Func<int> loop)
{
    var runs = new List<double>();
    for (var run = 0; run < 7; run++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var refused = loop();
        var ns = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalNanoseconds / iterations;
        if (refused != 0)
        {
            throw new InvalidOperationException("an id that is not suppressed was refused");
        }

        if (run > 1)
        {
            runs.Add(ns); // the first two runs warm up the JIT's tiers
        }
    }

    runs.Sort();
    return runs[runs.Count / 2];
}

sealed class Store(int count) : IErasureStore
{
    private readonly IReadOnlyList<Suppression> _all = [.. Enumerable.Range(0, count).Select(i => new Suppression($"erased-{i}-{Guid.NewGuid():N}", i + 1, i + 1, DateTimeOffset.UtcNow))];

    public Task<IReadOnlyList<Suppression>> SuppressionsAsync(CancellationToken cancellationToken) => Task.FromResult(_all);

    public Task<(long Count, long MaxId)> SuppressionsVersionAsync(CancellationToken cancellationToken) => Task.FromResult((long.MaxValue, (long)count));

    public Task<ErasureStart> BeginAsync(ErasureRequest request, int countUpTo, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ErasureChunk> DeleteChunkAsync(Erasure erasure, ErasureStep step, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteUsersAsync(Erasure erasure, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Erasure> CompleteAsync(Erasure erasure, long recentKeywords, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Erasure?> FindAsync(long id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<Erasure>> ListAsync(long? before, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<Erasure>> UnfinishedAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> LiftSuppressionAsync(string externalId, CancellationToken cancellationToken) => throw new NotSupportedException();
}
