using Orchestrator.Worker;

namespace Orchestrator.Workloads.Tests.Worker;

public sealed class DeviceFaultsTests
{
    [Theory]
    [InlineData("CUDA error: uncorrectable ECC error encountered")]
    [InlineData("NCCL error: unhandled cuda error, NCCL version 2.21.5: an uncorrectable NVLink error was detected during the execution")]
    [InlineData("Unable to determine the device handle for GPU 0000:3B:00.0: GPU is lost")]
    [InlineData("The GPU has fallen off the bus")]
    public void Hardware_errors_are_device_faults(string message) =>
        Assert.True(DeviceFaults.Indicate(new InvalidOperationException(message)));

    [Fact]
    public void A_hardware_error_wrapped_in_another_counts() =>
        Assert.True(DeviceFaults.Indicate(new AggregateException("step failed", new ExternalErrorStub("CUDA error: uncorrectable ECC error encountered"))));

    [Theory]
    [InlineData("CUDA error: an illegal memory access was encountered")]
    [InlineData("CUDA error: device-side assert triggered")]
    [InlineData("CUDA out of memory. Tried to allocate 2.00 GiB")]
    [InlineData("shape mismatch: [4, 8] and [9, 4]")]
    public void The_programs_own_errors_are_not(string message) =>
        Assert.False(DeviceFaults.Indicate(new InvalidOperationException(message)));

    private sealed class ExternalErrorStub(string message) : Exception(message);
}
