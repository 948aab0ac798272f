namespace Orchestrator.Cli.Output;

/// <summary>How read commands print: a human table, or JSON/YAML for scripts.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Yaml,
}
