using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Communication.Gloo;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Training;

/// <summary>What a run split over processes refuses, before any process waits for a peer.</summary>
public sealed class ProcessPlacementTests
{
    private static readonly GlooRendezvous Rendezvous = GlooRendezvous.ForAttempt(Path.GetTempPath(), "job", 1, "127.0.0.1", TimeSpan.FromSeconds(5));

    [Fact]
    public void A_device_without_a_network_communicator_is_refused_naming_the_device()
    {
        var error = Assert.Throws<NotSupportedException>(() => new ProcessPlacement([0, 1], 0, Rendezvous).CreateWorld(new ParallelGrid(DataParallelSize: 2), "cuda"));
        Assert.Contains("'cuda'", error.Message, StringComparison.Ordinal);
        Assert.Contains("NCCL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "job/attempt-1", "127.0.0.1", 5, "StoreDirectory")]
    [InlineData("/tmp/r", " ", "127.0.0.1", 5, "Prefix")]
    [InlineData("/tmp/r", "job/attempt-1", "", 5, "Address")]
    [InlineData("/tmp/r", "job/attempt-1", "127.0.0.1", 0, "Timeout")]
    public void A_rendezvous_with_a_bad_field_is_refused_naming_it(string directory, string prefix, string address, int seconds, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => new GlooRendezvous(directory, prefix, address, TimeSpan.FromSeconds(seconds)).Validate());
        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void The_rendezvous_of_an_attempt_is_prefixed_by_job_and_attempt()
    {
        var rendezvous = GlooRendezvous.ForAttempt("/data/checkpoints", "gpt", 3, "127.0.0.1", TimeSpan.FromSeconds(30));
        Assert.Equal(Path.Combine("/data/checkpoints", "rendezvous", "gpt", "attempt-3"), rendezvous.StoreDirectory);
        Assert.Equal("gpt/attempt-3", rendezvous.Prefix);
    }
}
