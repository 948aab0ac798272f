using System.Text.Json;

namespace Orchestrator.Contracts.Workers;

/// <summary>The file a launcher writes for a worker to read on start (JSON).</summary>
public static class WorkerAssignmentFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes the assignment atomically (a temporary file, then a rename).</summary>
    public static async Task WriteAsync(string path, WorkerAssignment assignment, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        // It holds the attempt's secret: readable by the owner only, from the moment it exists.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var writer = new StreamWriter(temporary, options))
            await writer.WriteAsync(ToJson(assignment).AsMemory(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads an assignment.</summary>
    /// <exception cref="InvalidDataException">The file does not hold an assignment.</exception>
    public static async Task<WorkerAssignment> ReadAsync(string path, CancellationToken cancellationToken) =>
        Parse(await File.ReadAllTextAsync(path, cancellationToken), path);

    /// <summary>The assignment as the JSON the file holds (also passed to a pod in an environment variable).</summary>
    public static string ToJson(WorkerAssignment assignment) => JsonSerializer.Serialize(assignment, Json);

    /// <summary>Reads an assignment from JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="origin">Where it came from, for the error message.</param>
    /// <exception cref="InvalidDataException">The text does not hold an assignment.</exception>
    public static WorkerAssignment Parse(string json, string origin)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkerAssignment>(json, Json) ?? throw new InvalidDataException($"{origin} holds no worker assignment");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{origin} holds no worker assignment: {e.Message}", e);
        }
    }
}
