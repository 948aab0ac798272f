using System.Globalization;
using System.Text;
using Orleans.Runtime;

namespace Orchestrator.Silo.Persistence;

/// <summary>
/// Reminders of the embedded daemon kept in one file, so that a job's reminder outlives a crash of the daemon (Orleans'
/// in-memory table forgets them; Redis mode uses Orleans' Redis table). The table is small, one row per unfinished
/// job, so each change rewrites the whole file: to a temporary file, flushed, then renamed over the old one. Rows are
/// tab-separated with escaped fields; ETags are fresh GUIDs as in Orleans' own tables.
/// </summary>
internal sealed class FileReminderTable(string path) : IReminderTable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<(GrainId Grain, string Name), ReminderEntry>? _rows;

    public Task Init() => Task.CompletedTask;

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Read(rows => rows.Values.Where(r => r.GrainId == grainId));

    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        Read(rows => rows.Values.Where(r => InRange(r.GrainId.GetUniformHashCode(), begin, end)));

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        (await Read(rows => rows.TryGetValue((grainId, reminderName), out var row) ? [row] : [])).Reminders.FirstOrDefault();

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _gate.WaitAsync();
        try
        {
            var rows = Load();
            var stored = new ReminderEntry
            {
                GrainId = entry.GrainId, ReminderName = entry.ReminderName, StartAt = entry.StartAt, Period = entry.Period, ETag = Guid.NewGuid().ToString("N"),
            };
            rows[(entry.GrainId, entry.ReminderName)] = stored;
            await SaveAsync(rows);
            return stored.ETag;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        await _gate.WaitAsync();
        try
        {
            var rows = Load();
            if (!rows.TryGetValue((grainId, reminderName), out var row) || row.ETag != eTag) return false;
            rows.Remove((grainId, reminderName));
            await SaveAsync(rows);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task TestOnlyClearTable()
    {
        await _gate.WaitAsync();
        try
        {
            var rows = Load();
            rows.Clear();
            await SaveAsync(rows);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Orleans' ring ranges: (begin, end], wrapping around when begin is not below end.</summary>
    internal static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private async Task<ReminderTableData> Read(Func<Dictionary<(GrainId, string), ReminderEntry>, IEnumerable<ReminderEntry>> select)
    {
        await _gate.WaitAsync();
        try
        {
            return new ReminderTableData(select(Load()).ToList());
        }
        finally
        {
            _gate.Release();
        }
    }

    private Dictionary<(GrainId, string), ReminderEntry> Load()
    {
        if (_rows is not null) return _rows;
        _rows = [];
        if (!File.Exists(path)) return _rows;
        foreach (var line in File.ReadAllLines(path, Encoding.UTF8))
        {
            var fields = line.Split('\t');
            if (fields.Length != 5) throw new InvalidDataException($"reminder table {path}: a row has {fields.Length} fields, not 5: '{line}'");
            var entry = new ReminderEntry
            {
                GrainId = GrainId.Parse(Uri.UnescapeDataString(fields[0])),
                ReminderName = Uri.UnescapeDataString(fields[1]),
                StartAt = new DateTime(long.Parse(fields[2], CultureInfo.InvariantCulture), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(long.Parse(fields[3], CultureInfo.InvariantCulture)),
                ETag = fields[4],
            };
            _rows[(entry.GrainId, entry.ReminderName)] = entry;
        }

        return _rows;
    }

    private async Task SaveAsync(Dictionary<(GrainId, string), ReminderEntry> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows.Values)
        {
            text.Append(Uri.EscapeDataString(row.GrainId.ToString())).Append('\t')
                .Append(Uri.EscapeDataString(row.ReminderName)).Append('\t')
                .Append(row.StartAt.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(row.Period.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(row.ETag).Append('\n');
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
            await stream.FlushAsync();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
