using Pulse.Core.Campaigns;
using Pulse.Core.Events;
using Pulse.Core.Lifecycle;
using Pulse.Core.Users;

namespace Pulse.Core.Transfer;

/// <summary>A rejected line: its number (1-based, counting every line of the body) and why.</summary>
public sealed record RejectedLine(long Line, string Reason);

/// <summary>What an import did: lines read, events stored, duplicates skipped (imported before), lines rejected.</summary>
public sealed record ImportSummary(
    long Lines, long Stored, long Duplicates, long Rejected, IReadOnlyList<RejectedLine> Errors, IReadOnlyList<string> MissingCampaigns);

/// <summary>Starts imports: one <see cref="EventImport"/> per request body.</summary>
public sealed class EventImportService(UserService users, CampaignService campaigns, ImportWriter writer, Suppressions suppressions)
{
    public EventImport Start() => new(users, campaigns, writer, suppressions);
}

/// <summary>
/// One import: lines are added as the body is read, and every <see cref="BatchSize"/> of them are stored in one
/// transaction (<see cref="FlushAsync"/>), awaited before more is read, so memory holds one batch and a commit
/// failure stops the import with every earlier batch committed. Users are created as the SDKs create them (attributes
/// <c>{}</c>); a campaign is linked by name when the target has one with that name, else the event is stored unlinked
/// and the name reported. A line of a suppressed (erased) user is rejected like a malformed one, so an old export
/// imported again cannot bring an erased person back.
/// </summary>
public sealed class EventImport
{
    /// <summary>Events per transaction.</summary>
    public const int BatchSize = 500;

    /// <summary>Rejected lines listed in the answer; all are counted.</summary>
    public const int MaxListedErrors = 1000;

    /// <summary>Missing campaign names listed in the answer.</summary>
    public const int MaxListedCampaigns = 100;

    private readonly UserService _users;
    private readonly CampaignService _campaigns;
    private readonly ImportWriter _writer;
    private readonly Suppressions _suppressions;
    private readonly List<ImportLine> _batch = new(BatchSize);
    private readonly List<RejectedLine> _errors = [];
    private readonly SortedSet<string> _missingCampaigns = new(StringComparer.Ordinal);
    private long _lines;
    private long _stored;
    private long _duplicates;
    private long _rejected;

    internal EventImport(UserService users, CampaignService campaigns, ImportWriter writer, Suppressions suppressions)
    {
        _suppressions = suppressions;
        _users = users;
        _campaigns = campaigns;
        _writer = writer;
    }

    /// <summary>Whether the batch is full: call <see cref="FlushAsync"/> before adding more.</summary>
    public bool IsBatchFull => _batch.Count >= BatchSize;

    /// <summary>Parses line <paramref name="number"/>; a line that cannot be imported is counted and listed.</summary>
    public void Add(long number, ReadOnlySpan<byte> utf8)
    {
        _lines++;
        if (ImportLine.Parse(utf8, out var problem) is { } line)
        {
            if (_suppressions.IsSuppressed(line.ExternalId))
            {
                Reject(number, "suppressed: " + SuppressionMessages.ForExternalId(line.ExternalId));
                return;
            }

            _batch.Add(line);
        }
        else
        {
            Reject(number, problem!);
        }
    }

    /// <summary>Counts and lists a line rejected before parsing (too long, say).</summary>
    public void Reject(long number, string reason)
    {
        _rejected++;
        if (_errors.Count < MaxListedErrors)
        {
            _errors.Add(new RejectedLine(number, reason));
        }
    }

    /// <summary>Counts a line that is skipped without parsing (too long).</summary>
    public void CountLine() => _lines++;

    /// <summary>Stores the batch in one transaction; completion means committed and durable.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch.Count == 0)
        {
            return;
        }

        var writes = new ImportWrite[_batch.Count];
        for (var i = 0; i < _batch.Count; i++)
        {
            var line = _batch[i];
            var user = await _users.FindOrCreateAsync(line.ExternalId, line.ReceivedAt, cancellationToken);
            long? campaignId = null;
            if (line.Campaign is { } name)
            {
                if (await _campaigns.FindByNameAsync(name, cancellationToken) is { } campaign)
                {
                    campaignId = campaign.Id;
                }
                else if (_missingCampaigns.Count < MaxListedCampaigns)
                {
                    _missingCampaigns.Add(name);
                }
            }

            var write = new EventWrite(line.Name, user.Id, user.ExternalId, line.Properties, campaignId, line.ReceivedAt) { Timestamp = line.EventTime };
            writes[i] = new ImportWrite(line.Key(), write, line.Message, line.SentAt, line.TimeClamped);
        }

        _batch.Clear();
        var ids = await _writer.WriteAsync(writes);
        foreach (var id in ids)
        {
            if (id is null)
            {
                _duplicates++;
            }
            else
            {
                _stored++;
            }
        }
    }

    /// <summary>What was done so far (after the last <see cref="FlushAsync"/>, everything).</summary>
    public ImportSummary Summary => new(_lines, _stored, _duplicates, _rejected, [.. _errors], [.. _missingCampaigns]);
}
