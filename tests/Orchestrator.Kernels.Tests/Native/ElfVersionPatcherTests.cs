using System.Buffers.Binary;
using System.Text;
using Orchestrator.Kernels.Native;

namespace Orchestrator.Kernels.Tests.Native;

public sealed class ElfVersionPatcherTests
{
    [Fact]
    public void Marking_GLIBCXX_3_4_32_weak_flips_exactly_that_Vernaux_flag_on_a_copy()
    {
        var original = PristineGlueLibrary(out var flagsAt);
        var patched = (byte[])original.Clone();

        var outcome = ElfVersionPatcher.MarkRequirementWeak(patched, TorchRuntime.MissingVersion);

        Assert.Equal(VersionPatchOutcome.Patched, outcome);
        // The Vernaux entry is the right one: its vna_hash (4 bytes before vna_flags) is the ELF hash of the name.
        Assert.Equal(ElfHash(TorchRuntime.MissingVersion), BinaryPrimitives.ReadUInt32LittleEndian(original.AsSpan((int)flagsAt - 4)));
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        Assert.All(changed, i => Assert.InRange(i, flagsAt, flagsAt + 1));
        var before = BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan((int)flagsAt));
        Assert.Equal(before | 0x2, BinaryPrimitives.ReadUInt16LittleEndian(patched.AsSpan((int)flagsAt)));
        Assert.False(ElfVersionPatcher.IsRequirementWeak(patched, "GLIBCXX_3.4.19"));
    }

    [Fact]
    public void Patching_twice_changes_nothing_the_second_time()
    {
        var image = PristineGlueLibrary(out _);
        ElfVersionPatcher.MarkRequirementWeak(image, TorchRuntime.MissingVersion);
        var once = (byte[])image.Clone();

        Assert.Equal(VersionPatchOutcome.AlreadyWeak, ElfVersionPatcher.MarkRequirementWeak(image, TorchRuntime.MissingVersion));
        Assert.Equal(once, image);
    }

    [Fact]
    public void A_version_the_library_does_not_require_is_reported_and_left_alone()
    {
        var image = PristineGlueLibrary(out _);
        var copy = (byte[])image.Clone();

        Assert.Equal(VersionPatchOutcome.NotRequired, ElfVersionPatcher.MarkRequirementWeak(image, "GLIBCXX_9.9.99"));
        Assert.Equal(copy, image);
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_refused()
    {
        var text = Encoding.ASCII.GetBytes(new string('x', 128));

        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MarkRequirementWeak(text, TorchRuntime.MissingVersion));
    }

    /// <summary>
    /// The glue library as shipped: the copy in the build output may already be patched by an earlier run, so the weak
    /// bit is cleared again here (the shipped file has no flags on that entry).
    /// </summary>
    private static byte[] PristineGlueLibrary(out long flagsAt)
    {
        var path = TorchRuntime.FindGlueLibrary();
        Assert.NotNull(path);
        var image = File.ReadAllBytes(path);
        flagsAt = ElfVersionPatcher.FindRequirementFlagsOffset(image, TorchRuntime.MissingVersion);
        Assert.True(flagsAt > 0, "TorchSharp 0.107.0's glue library requires GLIBCXX_3.4.32");
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan((int)flagsAt));
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan((int)flagsAt), (ushort)(flags & ~0x2));
        return image;
    }

    /// <summary>The System V ELF hash that vna_hash stores (gABI, "Hash Table").</summary>
    private static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (var c in Encoding.ASCII.GetBytes(name))
        {
            h = (h << 4) + c;
            var g = h & 0xf0000000;
            if (g != 0)
            {
                h ^= g >> 24;
            }

            h &= ~g;
        }

        return h;
    }
}
