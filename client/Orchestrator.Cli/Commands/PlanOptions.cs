using System.CommandLine;
using System.Globalization;
using Orchestrator.Client.Specs;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Planner;

namespace Orchestrator.Cli.Commands;

/// <summary>The options of <c>orch plan</c> and how they become a planning request.</summary>
internal sealed class PlanOptions
{
    public Argument<string?> File { get; } = new("file") { Description = "TrainingJob document whose model, batch and resources to plan (optional with --layers ...)", Arity = ArgumentArity.ZeroOrOne };
    public Option<int?> Gpus { get; } = new("--gpus") { Description = "Devices to plan for (default: the file's resources.gpus)" };
    public Option<string?> GpuType { get; } = new("--gpu-type") { Description = "Device type (default: the file's, else h100-80gb)" };
    public Option<string?> Parallelism { get; } = new("--parallelism") { Description = "Fix the layout as t,p,d[,v]; the rest is searched" };
    public Option<int?> MicroBatch { get; } = new("--micro-batch") { Description = "Fix the micro-batch size" };
    public Option<string?> Recompute { get; } = new("--recompute") { Description = "Fix recomputation: none, selective or full" };
    public Option<bool> SequenceParallel { get; } = new("--sequence-parallel") { Description = "Fix sequence parallelism on" };
    public Option<int> Top { get; } = new("--top") { Description = "Alternatives to show besides the best", DefaultValueFactory = _ => 4 };
    public Option<string?> Inventory { get; } = new("--inventory") { Description = "Plan for the cluster an Inventory YAML file describes" };
    public Option<int?> Layers { get; } = new("--layers") { Description = "Model layers (instead of a file)" };
    public Option<int?> Hidden { get; } = new("--hidden") { Description = "Hidden size" };
    public Option<int?> Heads { get; } = new("--heads") { Description = "Attention heads" };
    public Option<int?> Sequence { get; } = new("--seq") { Description = "Sequence length" };
    public Option<int?> Vocabulary { get; } = new("--vocab") { Description = "Vocabulary size" };
    public Option<int?> GlobalBatch { get; } = new("--global-batch") { Description = "Global batch (samples per iteration)" };
    public Option<int?> Ffn { get; } = new("--ffn") { Description = "Feed-forward size (default 4 x hidden)" };
    public Option<int?> Experts { get; } = new("--experts") { Description = "MoE experts per MoE layer" };
    public Option<int?> TopK { get; } = new("--top-k") { Description = "MoE experts per token" };

    public IEnumerable<Option> All =>
        [Gpus, GpuType, Parallelism, MicroBatch, Recompute, SequenceParallel, Top, Inventory, Layers, Hidden, Heads, Sequence, Vocabulary, GlobalBatch, Ffn, Experts, TopK];

    public async Task<PlanningRequest> RequestAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var spec = parse.GetValue(File) is { } path ? await JobSpecLoader.LoadAsync(path, cancellationToken) : null;
        var model = spec?.Model ?? ModelFromFlags(parse);
        var globalBatch = parse.GetValue(GlobalBatch) ?? spec?.Training.GlobalBatch ?? throw Missing("--global-batch");
        var gpuType = parse.GetValue(GpuType) ?? spec?.Resources.GpuType ?? "h100-80gb";
        if (!HardwareCatalog.TryGet(gpuType, out var gpu))
            throw new ArgumentException($"--gpu-type: unknown GPU type '{gpuType}'; known: {string.Join(", ", HardwareCatalog.All.Select(m => m.Name))}");
        var gpus = parse.GetValue(Gpus) ?? spec?.Resources.Gpus ?? throw Missing("--gpus");
        if (gpus < 1) throw new ArgumentException($"--gpus must be at least 1, got {gpus}");
        var cluster = parse.GetValue(Inventory) is { } inventory ? ClusterFrom(InventoryDocument.Load(inventory), gpu, gpus) : PlanningCluster.ForGpu(gpu, gpus);

        var request = new PlanningRequest(SpecPlanning.Model(model), new TrainingShape(globalBatch), cluster) { Alternatives = parse.GetValue(Top) };
        if (spec is not null && !spec.Parallelism.Auto && parse.GetValue(Parallelism) is null) request = SpecPlanning.Request(spec, cluster) with { Alternatives = request.Alternatives };
        if (parse.GetValue(Parallelism) is { } layout) request = WithLayout(request, layout);
        if (parse.GetValue(MicroBatch) is { } micro) request = request with { MicroBatch = micro };
        if (parse.GetValue(Recompute) is { } recompute) request = request with { Recompute = SpecPlanning.Recompute(recompute) };
        if (parse.GetValue(SequenceParallel)) request = request with { SequenceParallel = true };
        return request;
    }

    private ModelSpec ModelFromFlags(ParseResult parse)
    {
        int Required(Option<int?> option) => parse.GetValue(option) ?? throw Missing(option.Name);
        var experts = parse.GetValue(Experts);
        return new ModelSpec("gpt", Required(Layers), Required(Hidden), Required(Heads), Required(Sequence), Required(Vocabulary), parse.GetValue(Ffn),
            experts is { } e ? new MixtureOfExpertsSpec(e, parse.GetValue(TopK) ?? 2) : null);
    }

    private static PlanningRequest WithLayout(PlanningRequest request, string text)
    {
        var parts = text.Split(',');
        var sizes = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : -1).ToArray();
        if (parts.Length is < 3 or > 4 || sizes.Any(n => n < 1))
            throw new ArgumentException($"--parallelism must be t,p,d or t,p,d,v with positive integers, got '{text}'");
        return request with
        {
            TensorParallelSize = sizes[0], PipelineParallelSize = sizes[1], DataParallelSize = sizes[2],
            VirtualStages = parts.Length == 4 ? sizes[3] : 1,
        };
    }

    private static PlanningCluster ClusterFrom(ClusterTopology topology, GpuModel gpu, int gpus)
    {
        var nodes = topology.Nodes.Where(n => string.Equals(n.GpuType, gpu.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (nodes.Count == 0)
            throw new ArgumentException($"--gpu-type: the inventory '{topology.Name}' has no {gpu.Name} devices; it has {string.Join(", ", topology.GpuTypes)}");
        var available = nodes.Sum(n => n.GpuCount);
        if (gpus > available) throw new ArgumentException($"--gpus: {gpus} exceeds the {available} {gpu.Name} devices of inventory '{topology.Name}'");
        return new PlanningCluster(gpus, gpu, topology.Links,
            NvlinkDomainSize: nodes.GroupBy(n => n.NvlinkDomain).Max(g => g.Sum(n => n.GpuCount)),
            GpusPerNode: nodes.Max(n => n.GpuCount),
            GpusPerRack: nodes.GroupBy(n => (n.Block, n.Rack)).Max(g => g.Sum(n => n.GpuCount)),
            GpusPerBlock: nodes.GroupBy(n => n.Block).Max(g => g.Sum(n => n.GpuCount)));
    }

    private static ArgumentException Missing(string option) => new($"{option} is required when no job file is given (or the file lacks it)");
}
