using k8s.Models;
using Orchestrator.Contracts.Workers;
using Orchestrator.Kubernetes.Pods;

namespace Orchestrator.Kubernetes.Tests.Pods;

/// <summary>Pod states read as exits: the reason in Kubernetes' words and who is to blame.</summary>
public sealed class PodOutcomeTests
{
    private static V1Pod Pod(string phase, V1ContainerState? state = null, string? reason = null, string? message = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "gpt-a2-n1" },
        Status = new V1PodStatus
        {
            Phase = phase, Reason = reason, Message = message,
            ContainerStatuses = state is null ? null : [new V1ContainerStatus { Name = "trainer", State = state }],
        },
    };

    private static V1ContainerState Exited(int code, string reason) => new() { Terminated = new V1ContainerStateTerminated { ExitCode = code, Reason = reason } };

    [Fact]
    public void Container_exits_are_the_programs_and_pod_failures_without_one_are_the_infrastructures()
    {
        Assert.Equal(new PodOutcome(137, ExitCause.ProgramError, "OOMKilled (exit 137)"), PodOutcome.Of(Pod("Failed", Exited(137, "OOMKilled")), builtIn: false));
        Assert.Equal(new PodOutcome(2, ExitCause.SpecError, "Error (exit 2)"), PodOutcome.Of(Pod("Failed", Exited(2, "Error")), builtIn: true));
        Assert.Equal(ExitCause.ProgramError, PodOutcome.Of(Pod("Failed", Exited(2, "Error")), builtIn: false)!.Cause);
        Assert.Equal(new PodOutcome(-1, ExitCause.Infrastructure, "Evicted: The node was low on resource: memory."),
            PodOutcome.Of(Pod("Failed", reason: "Evicted", message: "The node was low on resource: memory."), builtIn: false));
        Assert.Equal(new PodOutcome(0, ExitCause.Completed, "Succeeded"), PodOutcome.Of(Pod("Succeeded"), builtIn: false));
    }

    [Fact]
    public void An_image_that_cannot_be_pulled_is_a_spec_error_while_a_pod_waiting_to_be_scheduled_is_only_pending()
    {
        var pull = Pod("Pending", new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ErrImagePull", Message = "manifest unknown" } });
        Assert.Equal(new PodOutcome(-1, ExitCause.SpecError, "ErrImagePull: manifest unknown"), PodOutcome.Of(pull, builtIn: false));

        var unschedulable = Pod("Pending");
        unschedulable.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/4 nodes are available" }];
        Assert.Null(PodOutcome.Of(unschedulable, builtIn: false));
        Assert.Equal("Unschedulable: 0/4 nodes are available", PodOutcome.PendingReason(unschedulable));
        Assert.Null(PodOutcome.PendingReason(Pod("Running")));
    }
}
