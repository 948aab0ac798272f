using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Lifecycle;

namespace Orchestrator.Silo.Tests.Lifecycle;

public sealed class JobStateMachineTests
{
    /// <summary>Every allowed move, written out independently of the implementation's table.</summary>
    public static TheoryData<JobState, JobState> AllowedMoves => new()
    {
        { JobState.Pending, JobState.Planning },
        { JobState.Pending, JobState.Failed },
        { JobState.Pending, JobState.Suspended },
        { JobState.Pending, JobState.Cancelled },
        { JobState.Planning, JobState.Placed },
        { JobState.Planning, JobState.Pending },
        { JobState.Planning, JobState.Failed },
        { JobState.Planning, JobState.Cancelled },
        { JobState.Placed, JobState.Starting },
        { JobState.Placed, JobState.Recovering },
        { JobState.Placed, JobState.Cancelled },
        { JobState.Starting, JobState.Running },
        { JobState.Starting, JobState.Recovering },
        { JobState.Starting, JobState.Failed },
        { JobState.Starting, JobState.Suspended },
        { JobState.Starting, JobState.Cancelled },
        { JobState.Running, JobState.Succeeded },
        { JobState.Running, JobState.Failed },
        { JobState.Running, JobState.Recovering },
        { JobState.Running, JobState.Suspended },
        { JobState.Running, JobState.Cancelled },
        { JobState.Recovering, JobState.Placed },
        { JobState.Recovering, JobState.Failed },
        { JobState.Recovering, JobState.Suspended },
        { JobState.Recovering, JobState.Cancelled },
        { JobState.Suspended, JobState.Pending },
        { JobState.Suspended, JobState.Failed },
        { JobState.Suspended, JobState.Cancelled },
    };

    public static TheoryData<JobState, JobState> DisallowedSample => new()
    {
        { JobState.Pending, JobState.Running },
        { JobState.Pending, JobState.Placed },
        { JobState.Pending, JobState.Succeeded },
        { JobState.Planning, JobState.Running },
        { JobState.Placed, JobState.Running },
        { JobState.Placed, JobState.Pending },
        { JobState.Starting, JobState.Succeeded },
        { JobState.Starting, JobState.Placed },
        { JobState.Running, JobState.Pending },
        { JobState.Running, JobState.Placed },
        { JobState.Running, JobState.Running },
        { JobState.Recovering, JobState.Running },
        { JobState.Recovering, JobState.Succeeded },
        { JobState.Suspended, JobState.Running },
        { JobState.Suspended, JobState.Placed },
        { JobState.Placed, JobState.Suspended },
    };

    public static TheoryData<JobState> NonTerminal => new(Enum.GetValues<JobState>().Where(s => !JobStateMachine.IsTerminal(s)));

    public static TheoryData<JobState> Terminal => new(JobState.Succeeded, JobState.Failed, JobState.Cancelled);

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public void Allowed_moves_are_accepted(JobState from, JobState to)
    {
        Assert.True(JobStateMachine.TryTransition(from, to, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void No_move_outside_the_documented_list_is_accepted()
    {
        var documented = AllowedMoves.Select(row => ((JobState)row[0], (JobState)row[1])).ToHashSet();
        foreach (var from in Enum.GetValues<JobState>())
        {
            foreach (var to in Enum.GetValues<JobState>())
            {
                Assert.Equal(documented.Contains((from, to)), JobStateMachine.TryTransition(from, to, out _));
            }
        }
    }

    [Theory]
    [MemberData(nameof(DisallowedSample))]
    public void Disallowed_moves_are_refused_naming_both_states_and_the_allowed_ones(JobState from, JobState to)
    {
        Assert.False(JobStateMachine.TryTransition(from, to, out var error));
        Assert.Contains(from.ToString(), error);
        Assert.Contains(to.ToString(), error);
        Assert.Contains("allowed", error);
    }

    [Theory]
    [MemberData(nameof(NonTerminal))]
    public void Cancel_is_accepted_from_every_non_terminal_state(JobState from)
    {
        Assert.True(JobStateMachine.TryTransition(from, JobState.Cancelled, out _));
    }

    [Theory]
    [MemberData(nameof(Terminal))]
    public void Terminal_states_are_final(JobState from)
    {
        Assert.Empty(JobStateMachine.Next(from));
        foreach (var to in Enum.GetValues<JobState>())
        {
            Assert.False(JobStateMachine.TryTransition(from, to, out var error));
            Assert.Contains("final", error);
        }
    }

    [Fact]
    public void An_undefined_state_value_is_refused()
    {
        Assert.False(JobStateMachine.TryTransition((JobState)42, JobState.Pending, out var error));
        Assert.Contains("42", error);
    }
}
