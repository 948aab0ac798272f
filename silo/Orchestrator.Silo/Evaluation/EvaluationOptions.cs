namespace Orchestrator.Silo.Evaluation;

/// <summary>Where evaluation runs keep their results and request caches (the daemon's data folder by default).</summary>
internal sealed class EvaluationOptions
{
    /// <summary>The results store: one folder per run with its shards' files and HELM-shaped files per scenario.</summary>
    public string ResultsRoot { get; set; } = "";

    /// <summary>The request cache: one folder per model and shard cut, shared by runs of the same model.</summary>
    public string CacheRoot { get; set; } = "";

    /// <summary>Where built-in scenarios' datasets are; null: <c>ORCH_EVAL_DATA</c>, else the checkout's <c>.data/stdlib</c>.</summary>
    public string? DataRoot { get; set; }

    /// <summary>How long a failed shard waits before it is queued again.</summary>
    public TimeSpan ShardRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
