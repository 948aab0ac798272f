using System.Buffers.Binary;
using System.Text;

namespace Orchestrator.Kernels.Native;

/// <summary>Outcome of marking a version requirement weak in an ELF image.</summary>
internal enum VersionPatchOutcome
{
    /// <summary>No Vernaux entry with that version name exists.</summary>
    NotRequired,

    /// <summary>The entry already carried VER_FLG_WEAK; nothing was changed.</summary>
    AlreadyWeak,

    /// <summary>VER_FLG_WEAK was OR-ed into the entry's flags.</summary>
    Patched,
}

/// <summary>
/// Reads and edits the version-requirement section (.gnu.version_r) of a 64-bit little-endian ELF shared object.
/// Marking a requirement weak makes the dynamic loader accept the library on a host whose library lacks that version;
/// the symbols bound to that version must then be supplied by someone else (see <see cref="TorchRuntime"/>).
/// </summary>
internal static class ElfVersionPatcher
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Finds the byte offset of the vna_flags field of the Vernaux entry named <paramref name="versionName"/>.</summary>
    /// <returns>The offset, or -1 when the image requires no such version.</returns>
    public static long FindRequirementFlagsOffset(ReadOnlySpan<byte> elf, string versionName)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("Not an ELF file (bad magic).");
        }

        // EI_CLASS 2 = 64-bit, EI_DATA 1 = little-endian: the only kind of library TorchSharp ships for Linux.
        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"Only 64-bit little-endian ELF is supported (class {elf[4]}, data {elf[5]}).");
        }

        var sectionTable = checked((int)ReadU64(elf, 0x28));
        var sectionSize = ReadU16(elf, 0x3A);
        var sectionCount = ReadU16(elf, 0x3C);
        var wanted = Encoding.ASCII.GetBytes(versionName);
        for (var i = 0; i < sectionCount; i++)
        {
            var header = sectionTable + (i * sectionSize);
            if (ReadU32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = checked((int)ReadU64(elf, header + 0x18));
            var stringSection = sectionTable + ((int)ReadU32(elf, header + 0x28) * sectionSize);
            var strings = checked((int)ReadU64(elf, stringSection + 0x18));
            var needCount = ReadU32(elf, header + 0x2C);

            // Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            // Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
            var need = offset;
            for (var n = 0; n < needCount; n++)
            {
                var auxCount = ReadU16(elf, need + 2);
                var aux = need + (int)ReadU32(elf, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var name = strings + (int)ReadU32(elf, aux + 8);
                    if (NameEquals(elf, name, wanted))
                    {
                        return aux + 4;
                    }

                    aux += (int)ReadU32(elf, aux + 12);
                }

                var next = ReadU32(elf, need + 12);
                if (next == 0)
                {
                    break;
                }

                need += (int)next;
            }
        }

        return -1;
    }

    /// <summary>ORs VER_FLG_WEAK into the flags of the requirement named <paramref name="versionName"/>, in place.</summary>
    public static VersionPatchOutcome MarkRequirementWeak(Span<byte> elf, string versionName)
    {
        var at = FindRequirementFlagsOffset(elf, versionName);
        if (at < 0)
        {
            return VersionPatchOutcome.NotRequired;
        }

        var flags = ReadU16(elf, (int)at);
        if ((flags & VerFlagWeak) != 0)
        {
            return VersionPatchOutcome.AlreadyWeak;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(elf[(int)at..], (ushort)(flags | VerFlagWeak));
        return VersionPatchOutcome.Patched;
    }

    /// <summary>Whether the requirement named <paramref name="versionName"/> is present and marked weak.</summary>
    public static bool IsRequirementWeak(ReadOnlySpan<byte> elf, string versionName)
    {
        var at = FindRequirementFlagsOffset(elf, versionName);
        return at >= 0 && (ReadU16(elf, (int)at) & VerFlagWeak) != 0;
    }

    private static bool NameEquals(ReadOnlySpan<byte> elf, int at, byte[] wanted) =>
        at + wanted.Length < elf.Length && elf.Slice(at, wanted.Length).SequenceEqual(wanted) && elf[at + wanted.Length] == 0;

    private static ushort ReadU16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);

    private static uint ReadU32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);

    private static ulong ReadU64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
}
