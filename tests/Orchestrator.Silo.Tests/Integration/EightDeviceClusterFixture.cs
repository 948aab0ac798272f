namespace Orchestrator.Silo.Tests.Integration;

/// <summary>The embedded cluster with eight CPU devices: room for a job that loses half of them.</summary>
public sealed class EightDeviceClusterFixture : EmbeddedClusterFixture
{
    public override int LocalDevices => 8;
}
