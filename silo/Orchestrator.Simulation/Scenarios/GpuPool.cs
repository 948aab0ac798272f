namespace Orchestrator.Simulation.Scenarios;

/// <summary>GPUs of one catalog type.</summary>
/// <param name="GpuType">Catalog name (e.g. <c>h100-80gb</c>).</param>
/// <param name="Gpus">How many; a positive multiple of 8.</param>
internal sealed record GpuPool(string GpuType, int Gpus);
