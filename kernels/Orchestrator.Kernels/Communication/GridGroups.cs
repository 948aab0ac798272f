namespace Orchestrator.Kernels.Communication;

/// <summary>
/// The process groups of a grid, computed the same way in every process: for each kind (in <see cref="ProcessGroups"/>
/// order), each world rank's group members, ordered by world rank.
/// </summary>
internal static class GridGroups
{
    public static IReadOnlyList<string> Kinds { get; } = ["world", "tensor", "pipeline", "data", "model-parallel", "expert", "expert-data", "embedding"];

    /// <summary>Per kind (as <see cref="Kinds"/>), per world rank, that rank's group's members.</summary>
    public static IReadOnlyList<IReadOnlyList<int>[]> Of(ParallelGrid grid)
    {
        var world = Enumerable.Range(0, grid.WorldSize).ToList();
        var coordinates = world.Select(grid.CoordinatesOf).ToList();
        var expertSize = grid.ExpertParallelSize;
        var last = grid.PipelineParallelSize - 1;

        // Each partition maps a rank to the key of its group.
        var keys = new Func<int, (int, int, int)>[]
        {
            _ => (0, 0, 0),
            r => (coordinates[r].Pipeline, coordinates[r].Data, 0),
            r => (coordinates[r].Tensor, coordinates[r].Data, 0),
            r => (coordinates[r].Tensor, coordinates[r].Pipeline, 0),
            r => (coordinates[r].Data, 0, 0),
            r => (coordinates[r].Tensor, coordinates[r].Pipeline, coordinates[r].Data / expertSize),
            r => (coordinates[r].Tensor, coordinates[r].Pipeline, coordinates[r].Data % expertSize),
            r => coordinates[r].Pipeline == 0 || coordinates[r].Pipeline == last
                ? (coordinates[r].Tensor, coordinates[r].Data, -1)
                : (coordinates[r].Tensor, coordinates[r].Data, coordinates[r].Pipeline),
        };

        return keys.Select(key =>
        {
            var members = new IReadOnlyList<int>[grid.WorldSize];
            foreach (var group in world.GroupBy(key))
            {
                var list = group.OrderBy(r => r).ToList();
                list.ForEach(r => members[r] = list);
            }

            return members;
        }).ToList();
    }

    public static string NameOf(string kind, IReadOnlyList<int> members) => $"{kind}[{string.Join(",", members)}]";

    /// <summary>Builds a rank's <see cref="ProcessGroups"/> from its communicators in <see cref="Kinds"/> order.</summary>
    public static ProcessGroups Assemble(ParallelGrid grid, int rank, IReadOnlyList<ICommunicator> byKind) =>
        new(grid, rank, byKind[0], byKind[1], byKind[2], byKind[3], byKind[4], byKind[5], byKind[6], byKind[7]);
}
