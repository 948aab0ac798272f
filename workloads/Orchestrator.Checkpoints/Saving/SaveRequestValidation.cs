using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>Checks a save request before anything is copied or written.</summary>
internal static class SaveRequestValidation
{
    /// <param name="request">The request.</param>
    /// <param name="wholeCover">False for one process's part of a distributed save (its shards need not cover each tensor).</param>
    public static void Validate(CheckpointSaveRequest request, bool wholeCover = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Id.Validate();
        ArgumentNullException.ThrowIfNull(request.Layout, nameof(request.Layout));
        request.Layout.Validate();
        if (request.DataPosition < 0) throw new ArgumentException($"DataPosition must be 0 or more, got {request.DataPosition}", nameof(request));
        ArgumentNullException.ThrowIfNull(request.Tensors, nameof(request.Tensors));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in request.Tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(request.Tensors));
            if (!names.Add(tensor.Name)) throw new ArgumentException($"tensor '{tensor.Name}' is listed twice in the save request", nameof(request));
            ShardGeometry.ValidateCover(tensor.Name, tensor.GlobalShape, tensor.DataType.ElementSize(),
                tensor.Shards.Select(s => (s.Offsets, s.Extents, s.ByteLength)).ToList(), wholeCover);
        }
    }
}
