using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Lifecycle;

namespace Orchestrator.Silo.Tests.Lifecycle;

public sealed class FailureClassificationTests
{
    private static readonly RestartPolicySpec Plain = new();

    private static readonly RestartPolicySpec WithRules = new(OnExitCodes: new Dictionary<int, ExitCodeAction>
    {
        [42] = ExitCodeAction.Fail,
        [43] = ExitCodeAction.Ignore,
        [44] = ExitCodeAction.Retry,
        [2] = ExitCodeAction.Retry,
    });

    private static ExitVerdict Judge(ExitCause cause, int code, RestartPolicySpec? policy = null) =>
        FailureClassification.Judge(new WorkerExit("n0", code, "why", cause), policy ?? Plain);

    [Fact]
    public void A_programs_non_zero_exit_counts_against_the_job_only()
    {
        var verdict = Judge(ExitCause.ProgramError, 1);
        Assert.Equal(AttemptEndReason.WorkerExited, verdict.Reason);
        Assert.False(verdict.ChargesDevices);
    }

    [Fact]
    public void An_infrastructure_exit_charges_the_devices()
    {
        var verdict = Judge(ExitCause.Infrastructure, -1);
        Assert.Equal(AttemptEndReason.Infrastructure, verdict.Reason);
        Assert.True(verdict.ChargesDevices);
    }

    [Fact]
    public void A_stop_by_the_control_plane_counts_against_neither()
    {
        var verdict = Judge(ExitCause.Stopped, 137, WithRules);
        Assert.Equal(AttemptEndReason.Interrupted, verdict.Reason);
        Assert.False(verdict.ChargesDevices);
    }

    [Fact]
    public void A_spec_error_is_not_charged_and_not_retried_unless_a_rule_says_so()
    {
        Assert.Equal((AttemptEndReason.SpecError, false), (Judge(ExitCause.SpecError, 2).Reason, Judge(ExitCause.SpecError, 2).ChargesDevices));
        Assert.Equal(AttemptEndReason.WorkerExited, Judge(ExitCause.SpecError, 2, WithRules).Reason);
    }

    [Fact]
    public void A_clean_exit_before_finishing_is_the_programs_doing()
    {
        var verdict = Judge(ExitCause.Completed, 0);
        Assert.Equal((AttemptEndReason.WorkerExited, false), (verdict.Reason, verdict.ChargesDevices));
    }

    [Theory]
    [InlineData(42, nameof(AttemptEndReason.ExitCodeRule))]
    [InlineData(43, nameof(AttemptEndReason.Interrupted))]
    [InlineData(44, nameof(AttemptEndReason.WorkerExited))]
    [InlineData(45, nameof(AttemptEndReason.WorkerExited))]
    public void On_exit_codes_decides_a_program_errors_fate(int code, string reason)
    {
        var verdict = Judge(ExitCause.ProgramError, code, WithRules);
        Assert.Equal(Enum.Parse<AttemptEndReason>(reason), verdict.Reason);
        Assert.False(verdict.ChargesDevices);
    }

    [Fact]
    public void On_exit_codes_never_excuses_an_infrastructure_failure()
    {
        var verdict = Judge(ExitCause.Infrastructure, 43, WithRules);
        Assert.Equal((AttemptEndReason.Infrastructure, true), (verdict.Reason, verdict.ChargesDevices));
    }

    [Fact]
    public void The_rules_verdicts_reach_the_restart_policy()
    {
        var policy = RestartPolicy.For(new RestartPolicySpec(MaxAttempts: 2));
        Assert.False(policy.Decide(1, Judge(ExitCause.ProgramError, 42, WithRules).Reason).Restart);
        Assert.True(policy.Decide(1, Judge(ExitCause.ProgramError, 44, WithRules).Reason).Restart);
        Assert.False(policy.Decide(2, Judge(ExitCause.ProgramError, 44, WithRules).Reason).Restart);
        Assert.True(policy.Decide(2, Judge(ExitCause.ProgramError, 43, WithRules).Reason).Restart);
    }

    [Fact]
    public void Silence_after_being_heard_is_a_hang_charged_to_the_node()
    {
        Assert.Equal((AttemptEndReason.HeartbeatLost, true), Pair(FailureClassification.Silence(heard: true, resumedAfterRestart: false)));
        Assert.Equal((AttemptEndReason.HeartbeatLost, true), Pair(FailureClassification.Silence(heard: true, resumedAfterRestart: true)));
        Assert.Equal((AttemptEndReason.HeartbeatLost, true), Pair(FailureClassification.Silence(heard: false, resumedAfterRestart: false)));
    }

    [Fact]
    public void Never_hearing_a_worker_after_a_daemon_restart_counts_against_neither() =>
        Assert.Equal((AttemptEndReason.Interrupted, false), Pair(FailureClassification.Silence(heard: false, resumedAfterRestart: true)));

    [Theory]
    [InlineData(0, false, false, ExitCause.Completed)]
    [InlineData(1, false, false, ExitCause.ProgramError)]
    [InlineData(2, false, false, ExitCause.SpecError)]
    [InlineData(3, false, false, ExitCause.Stopped)]
    [InlineData(4, false, false, ExitCause.Infrastructure)]
    [InlineData(137, false, false, ExitCause.ProgramError)]
    [InlineData(137, false, true, ExitCause.Stopped)]
    [InlineData(0, false, true, ExitCause.Stopped)]
    [InlineData(0, true, false, ExitCause.Completed)]
    [InlineData(1, true, false, ExitCause.ProgramError)]
    [InlineData(2, true, false, ExitCause.ProgramError)]
    [InlineData(3, true, false, ExitCause.ProgramError)]
    [InlineData(4, true, false, ExitCause.ProgramError)]
    [InlineData(42, true, false, ExitCause.ProgramError)]
    [InlineData(137, true, false, ExitCause.ProgramError)]
    [InlineData(143, true, true, ExitCause.Stopped)]
    public void A_local_process_exit_is_classified(int code, bool userProgram, bool stopRequested, ExitCause cause) =>
        Assert.Equal(cause, FailureClassification.OfLocalProcess(code, userProgram, stopRequested));

    [Theory]
    [InlineData(1, "exited with code 1")]
    [InlineData(128, "exited with code 128")]
    [InlineData(137, "killed by signal 9")]
    [InlineData(143, "killed by signal 15")]
    [InlineData(255, "exited with code 255")]
    public void Local_exits_are_described(int code, string words) => Assert.Equal(words, FailureClassification.DescribeLocalExit(code));

    private static (AttemptEndReason, bool) Pair(ExitVerdict verdict) => (verdict.Reason, verdict.ChargesDevices);
}
