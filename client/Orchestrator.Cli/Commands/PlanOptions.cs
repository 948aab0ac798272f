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
    public Option<int?> QueryGroups { get; } = new("--query-groups") { Description = "Key/value head groups (grouped-query attention; default one per head)" };
    public Option<bool?> Flash { get; } = new("--flash") { Description = "FlashAttention on or off (default: current practice on the GPU type)" };
    public Option<string?> Activation { get; } = new("--activation") { Description = "FFN activation: gelu or swiglu (default gelu; swiglu implies an FFN of 8/3 x hidden)" };
    public Option<bool> UntiedEmbeddings { get; } = new("--untied-embeddings") { Description = "The output layer has its own weights" };
    public Option<string?> Precision { get; } = new("--precision") { Description = "Matmul number format: bf16, fp16 or fp8 (default bf16)" };
    public Option<string?> MainGradients { get; } = new("--main-gradients") { Description = "Gradient buffers: fp32 or half (default fp32)" };
    public Option<bool?> DistributedOptimizer { get; } = new("--distributed-optimizer") { Description = "Fix the distributed optimizer (ZeRO-1) on or off (default: searched)" };
    public Option<string?> Overlap { get; } = new("--overlap") { Description = "Communication overlapped with compute: none, or a list of grad-reduce, param-gather, tensor (default: current practice)" };
    public Option<int?> Context { get; } = new("--context") { Description = "Fix the context-parallel size (default: searched for sequences of 8K and more)" };

    public IEnumerable<Option> All =>
        [Gpus, GpuType, Parallelism, MicroBatch, Recompute, SequenceParallel, Top, Inventory, Layers, Hidden, Heads, Sequence, Vocabulary, GlobalBatch, Ffn, Experts, TopK,
         QueryGroups, Flash, Activation, UntiedEmbeddings, Precision, MainGradients, DistributedOptimizer, Overlap, Context];

    public async Task<PlanningRequest> RequestAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var spec = parse.GetValue(File) is { } path ? await JobSpecLoader.LoadAsync(path, cancellationToken) : null;
        var model = PlanDescriptionFlags.Model(parse, this, spec?.Model ?? ModelFromFlags(parse));
        var training = PlanDescriptionFlags.Training(parse, this, spec?.Training ?? new TrainingSpec(1, 1, new OptimizerSpec()));
        var globalBatch = parse.GetValue(GlobalBatch) ?? spec?.Training.GlobalBatch ?? throw Missing("--global-batch");
        var gpuType = parse.GetValue(GpuType) ?? spec?.Resources.GpuType ?? "h100-80gb";
        if (!HardwareCatalog.TryGet(gpuType, out var gpu))
            throw new ArgumentException($"--gpu-type: unknown GPU type '{gpuType}'; known: {string.Join(", ", HardwareCatalog.All.Select(m => m.Name))}");
        var gpus = parse.GetValue(Gpus) ?? spec?.Resources.Gpus ?? throw Missing("--gpus");
        if (gpus < 1) throw new ArgumentException($"--gpus must be at least 1, got {gpus}");
        var cluster = parse.GetValue(Inventory) is { } inventory ? PlanningCluster.FromTopology(InventoryDocument.Load(inventory), gpu, gpus) : PlanningCluster.ForGpu(gpu, gpus);

        var request = new PlanningRequest(SpecPlanning.Model(model), SpecPlanning.Training(training with { GlobalBatch = globalBatch }), cluster)
        {
            Alternatives = parse.GetValue(Top),
            ShardOptimizer = training.DistributedOptimizer,
        };
        if (spec is not null && !spec.Parallelism.Auto && parse.GetValue(Parallelism) is null)
            request = SpecPlanning.Request(spec with { Model = model, Training = training with { GlobalBatch = globalBatch } }, cluster) with { Alternatives = request.Alternatives };
        if (parse.GetValue(Parallelism) is { } layout) request = WithLayout(request, layout);
        if (parse.GetValue(MicroBatch) is { } micro) request = request with { MicroBatch = micro };
        if (parse.GetValue(Recompute) is { } recompute) request = request with { Recompute = SpecPlanning.Recompute(recompute) };
        if (parse.GetValue(SequenceParallel)) request = request with { SequenceParallel = true };
        if (parse.GetValue(Context) is { } context) request = request with { ContextParallelSize = context };
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
        if (parts.Length is < 3 or > 5 || sizes.Any(n => n < 1))
            throw new ArgumentException($"--parallelism must be t,p,d or t,p,d,v or t,p,d,v,c with positive integers, got '{text}'");
        return request with
        {
            TensorParallelSize = sizes[0], PipelineParallelSize = sizes[1], DataParallelSize = sizes[2],
            VirtualStages = parts.Length >= 4 ? sizes[3] : 1,
            ContextParallelSize = parts.Length == 5 ? sizes[4] : 1,
        };
    }

    private static ArgumentException Missing(string option) => new($"{option} is required when no job file is given (or the file lacks it)");
}
