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
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(assignment, Json), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads an assignment.</summary>
    /// <exception cref="InvalidDataException">The file does not hold an assignment.</exception>
    public static async Task<WorkerAssignment> ReadAsync(string path, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<WorkerAssignment>(await File.ReadAllTextAsync(path, cancellationToken), Json)
        ?? throw new InvalidDataException($"{path} holds no worker assignment");
}
