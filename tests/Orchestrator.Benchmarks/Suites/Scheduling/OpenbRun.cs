namespace Orchestrator.Benchmarks.Suites.Scheduling;

/// <summary>The outcome of one openb run: the policy, the unallocated GPU share at saturation, pods that fit nowhere, pods arrived, capacity and wall time.</summary>
internal sealed record OpenbRun(string Policy, double UnallocatedShare, int Unplaced, int Arrived, long CapacityGpus, double Seconds);
