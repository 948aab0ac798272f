namespace Orchestrator.Benchmarks.Suites.Scheduling;

/// <summary>One node of the openb trace: name, CPU millicores, memory, GPU count and model.</summary>
internal sealed record OpenbNode(string Name, int CpuMilli, int MemoryMib, int Gpus, string Model);
