namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>The device a share was placed on, or why there is none (with the wait reason the pass reports).</summary>
internal sealed record ShareStart(string? DeviceId, WaitReason Reason, string Detail)
{
    public bool Succeeded => DeviceId is not null;
}
