namespace Orchestrator.Planning.Topology;

/// <summary>Reads the cluster from an inventory file each time it is loaded, so edits to the file take effect.</summary>
/// <param name="path">Path of the <c>kind: Inventory</c> YAML file.</param>
public sealed class FileInventorySource(string path) : IInventorySource
{
    /// <summary>Path of the inventory file.</summary>
    public string Path { get; } = !string.IsNullOrWhiteSpace(path) ? path : throw new ArgumentException("inventory path must not be empty", nameof(path));

    /// <inheritdoc />
    public async Task<ClusterTopology> LoadAsync(CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(Path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InventoryException(Path, null, null, $"cannot read the inventory: {e.Message}", innerException: e);
        }

        return InventoryDocument.Parse(text, Path);
    }
}
