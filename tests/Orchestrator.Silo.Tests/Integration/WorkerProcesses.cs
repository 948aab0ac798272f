namespace Orchestrator.Silo.Tests.Integration;

/// <summary>Finds the worker processes of a job on this machine, as an operator would (by command line).</summary>
internal static class WorkerProcesses
{
    /// <summary>The job's workers; with <paramref name="node"/>, only the one hosting that node's ranks.</summary>
    public static IReadOnlyList<int> Of(string jobId, string? node = null)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains("Orchestrator.Worker") && commandLine.Contains($"/{jobId}/")
                    && (node is null || commandLine.Contains($"/{node}.assignment.json"))) found.Add(pid);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
