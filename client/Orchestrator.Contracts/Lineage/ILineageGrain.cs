using Orleans.Concurrency;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Lineage;

/// <summary>
/// The model lineage graph (key <c>default</c>), MGit-style: nodes are model versions (committed checkpoints of jobs,
/// or registered external checkpoints), edges say how each was made (trained from, fine-tuned from, resharded,
/// evaluated by) and by which job. Persisted; drives update cascades and lineage-aware garbage collection.
/// Versions are written <c>NAME@VERSION</c> (a number, a tag, or <c>latest</c>).
/// </summary>
public interface ILineageGrain : IGrainWithStringKey
{
    /// <summary>
    /// A job committed its finished checkpoint: registers it as the next version of the model named by the job's
    /// <c>metadata.name</c> with the edge from the version it started from, or (for a cascade's evaluation step)
    /// records the evaluation. Idempotent per job.
    /// </summary>
    [Access(AccessScope.Internal)]
    Task<ModelVersionView?> RegisterCheckpointAsync(CommittedModel committed);

    /// <summary>Registers a checkpoint already in the store, made outside the orchestrator, as the next version of <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name or checkpoint is malformed, or the checkpoint does not read back.</exception>
    [Access(AccessScope.Role, Role.Operator, Audited = true)]
    Task<ModelVersionView> RegisterExternalAsync(string name, string job, long step, int attempt);

    /// <summary>
    /// Resolves the version a job starts from (its <c>model.from</c>) and remembers it for the job, so every attempt
    /// restores the same version and the edge names it even if a tag moves.
    /// </summary>
    /// <exception cref="ArgumentException">The reference is malformed or names no version.</exception>
    [Access(AccessScope.AnyWorker)]
    Task<ModelVersionView> StartFromAsync(string job, string reference);

    /// <summary>The version <paramref name="reference"/> names. Interleaves: job submission validates <c>model.from</c> through it while a cascade submits.</summary>
    /// <exception cref="ArgumentException">The reference is malformed or names no version.</exception>
    [AlwaysInterleave]
    [Access(AccessScope.Role, Role.User)]
    Task<ModelVersionView> ResolveAsync(string reference);

    /// <summary>Every version and edge, with sizes and storage per family read from the store.</summary>
    [AlwaysInterleave]
    [Access(AccessScope.Role, Role.User)]
    Task<ModelRegistryView> GetRegistryAsync();

    /// <summary>Points <paramref name="tag"/> of the model at the version <paramref name="reference"/> names (moving it if set).</summary>
    /// <exception cref="ArgumentException">The reference or tag is malformed (tags may not be numbers or <c>latest</c>).</exception>
    [Access(AccessScope.Role, Role.User, Audited = true)]
    Task<ModelVersionView> TagAsync(string reference, string tag);

    /// <summary>
    /// An evaluation run scored a version: records the "evaluated by" edge and makes <paramref name="scores"/> the
    /// version's latest scores (metric by metric). Called by evaluation runs when they succeed; idempotent per run and
    /// version. A run that a cascade submitted completes its step.
    /// </summary>
    /// <param name="reference">The version evaluated.</param>
    /// <param name="evaluationJob">The evaluation run's id.</param>
    /// <param name="scores">Metric name to score.</param>
    /// <param name="spec">The run's spec, which a cascade re-runs against the version's replacement; null when the
    /// evaluation was made outside this orchestrator and cannot be re-run.</param>
    /// <exception cref="ArgumentException">The reference names no version, or a score is not a finite number.</exception>
    [Access(AccessScope.Internal)]
    Task RecordEvaluationAsync(string reference, string evaluationJob, IReadOnlyDictionary<string, double> scores, EvaluationJobSpec? spec);

    /// <summary>The version held in <paramref name="job"/>'s checkpoint of <paramref name="step"/>, or null when that checkpoint is no registered version.</summary>
    [AlwaysInterleave]
    [Access(AccessScope.Role, Role.User)]
    Task<ModelVersionView?> FindByCheckpointAsync(string job, long step);

    /// <summary>Which tensors differ between two versions and by how much, computed from the store's chunks.</summary>
    [AlwaysInterleave]
    [Access(AccessScope.Role, Role.User)]
    Task<ModelDiffView> DiffAsync(string first, string second);

    /// <summary>The cascade that re-derives the descendants of the version <paramref name="reference"/> supersedes (nothing is submitted).</summary>
    [Access(AccessScope.Role, Role.User)]
    Task<CascadePlan> PlanCascadeAsync(string reference);

    /// <summary>Starts that cascade: submits the first steps now and each later step once the step it depends on has registered its version.</summary>
    [Access(AccessScope.Role, Role.Operator, Audited = true)]
    Task<CascadePlan> StartCascadeAsync(string reference);

    /// <summary>The cascade numbered <paramref name="id"/> with each step's job and state.</summary>
    [Access(AccessScope.Role, Role.User)]
    Task<CascadePlan> GetCascadeAsync(int id);

    /// <summary>
    /// Garbage collection that keeps every checkpoint the graph references: other checkpoints of finished jobs are
    /// removed, checkpoints of jobs not finished are left as they are, and unreferenced chunks are freed.
    /// </summary>
    [Access(AccessScope.Role, Role.Operator, Audited = true)]
    Task<LineageCollection> CollectGarbageAsync();
}
