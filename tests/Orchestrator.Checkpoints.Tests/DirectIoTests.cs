using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Tests;

public sealed class DirectIoTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orchestrator-direct-io-tests", Guid.NewGuid().ToString("N"));

    public DirectIoTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void A_file_created_for_direct_io_refuses_unaligned_transfers_as_direct_io_does()
    {
        var path = Path.Combine(_directory, "probe");

        using var file = DirectIo.TryCreate(path);

        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(file);
            return;
        }

        // Local Linux file systems with direct I/O must not be refused; others (tmpfs on old kernels) may be.
        if (FileSystemType(_directory) is "ext4" or "xfs" or "btrfs") Assert.NotNull(file);
        if (file is null) return;
        var unaligned = new byte[DirectIo.Alignment + 1];
        var error = Assert.Throws<IOException>(() => RandomAccess.Write(file, unaligned.AsSpan(1, 100), 0));
        Assert.True(DirectIo.IsAlignmentRefusal(error), error.Message);
        var aligned = new AlignedBuffer(DirectIo.Alignment);
        aligned.Span.Fill(7);
        RandomAccess.Write(file, aligned.Span, 0);
        Assert.Equal(DirectIo.Alignment, new FileInfo(path).Length);
    }

    [Fact]
    public void Creating_over_an_existing_file_fails_with_a_message_naming_it()
    {
        var path = Path.Combine(_directory, "taken");
        File.WriteAllBytes(path, [1]);

        if (!DirectIo.IsAvailable) return;
        var error = Assert.Throws<IOException>(() => DirectIo.TryCreate(path)?.Dispose());

        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(DirectIo.Alignment)]
    [InlineData(3 * DirectIo.Alignment + 5)]
    public unsafe void Aligned_buffers_start_on_a_block_and_hold_whole_blocks(int length)
    {
        var buffer = new AlignedBuffer(length);

        fixed (byte* start = buffer.Span)
        {
            Assert.True(DirectIo.IsAligned(start));
        }

        Assert.Equal(DirectIo.RoundUp(length), buffer.Length);
        Assert.True(buffer.Length >= length && buffer.Length % DirectIo.Alignment == 0);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The type of the file system holding <paramref name="path"/>: the mount with the longest matching mount point.</summary>
    private static string FileSystemType(string path) =>
        File.ReadAllLines("/proc/self/mounts")
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 2 && (path + "/").StartsWith(fields[1].TrimEnd('/') + "/", StringComparison.Ordinal))
            .MaxBy(fields => fields[1].Length)?[2] ?? "unknown";
}
