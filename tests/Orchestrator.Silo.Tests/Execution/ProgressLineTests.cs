using Orchestrator.Silo.Execution.External;

namespace Orchestrator.Silo.Tests.Execution;

public sealed class ProgressLineTests
{
    [Fact]
    public void Reads_every_field()
    {
        Assert.True(ProgressLine.TryParse("ORCH_PROGRESS step=120 loss=3.214 tokens=65536 step_seconds=0.41 mfu=0.38", out var line));
        Assert.Equal(new ProgressLine(120, 3.214, 65536, 0.41, 0.38), line);
    }

    [Fact]
    public void Only_step_and_loss_are_required_and_fields_come_in_any_order()
    {
        Assert.True(ProgressLine.TryParse("  ORCH_PROGRESS\tloss=2.5e0   step=7 ", out var line));
        Assert.Equal(new ProgressLine(7, 2.5, null, null, null), line);
    }

    [Fact]
    public void Unknown_keys_are_ignored_so_programs_can_add_their_own()
    {
        Assert.True(ProgressLine.TryParse("ORCH_PROGRESS step=3 loss=1 lr=0.0003 grad_norm=1.2", out var line));
        Assert.Equal(3, line.Step);
    }

    [Fact]
    public void Printing_a_line_reads_back_the_same()
    {
        var original = new ProgressLine(41, 0.1 + 0.2, 4096, 1.0 / 3, 0.5);
        Assert.True(ProgressLine.TryParse(original.ToString(), out var read));
        Assert.Equal(original, read);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("step 12 loss 3.2")]
    [InlineData("ORCH_PROGRESS")]
    [InlineData("ORCH_PROGRESS step=1")]
    [InlineData("ORCH_PROGRESS loss=1")]
    [InlineData("ORCH_PROGRESSstep=1 loss=1")]
    [InlineData("orch_progress step=1 loss=1")]
    [InlineData("INFO ORCH_PROGRESS step=1 loss=1")]
    [InlineData("ORCH_PROGRESS step=-1 loss=1")]
    [InlineData("ORCH_PROGRESS step=+1 loss=1")]
    [InlineData("ORCH_PROGRESS step=1.5 loss=1")]
    [InlineData("ORCH_PROGRESS step=99999999999999999999999 loss=1")]
    [InlineData("ORCH_PROGRESS step=1 loss=NaN")]
    [InlineData("ORCH_PROGRESS step=1 loss=Infinity")]
    [InlineData("ORCH_PROGRESS step=1 loss=1e999")]
    [InlineData("ORCH_PROGRESS step=1 loss=3,2")]
    [InlineData("ORCH_PROGRESS step=1 loss=")]
    [InlineData("ORCH_PROGRESS step=1 loss=1 step=2")]
    [InlineData("ORCH_PROGRESS step=1 loss=1 tokens=-5")]
    [InlineData("ORCH_PROGRESS step=1 loss=1 step_seconds=0")]
    [InlineData("ORCH_PROGRESS step=1 loss=1 mfu=1.5")]
    [InlineData("ORCH_PROGRESS step=1 loss=1 stray")]
    [InlineData("ORCH_PROGRESS step=1 loss=1 =5")]
    public void Anything_else_is_not_a_progress_line(string? text)
    {
        Assert.False(ProgressLine.TryParse(text, out var line));
        Assert.Null(line);
    }

    [Fact]
    public void An_overlong_line_is_not_read()
    {
        var text = "ORCH_PROGRESS step=1 loss=1 note=" + new string('x', ProgressLine.MaxLength);
        Assert.False(ProgressLine.TryParse(text, out _));
    }

    [Fact]
    public void Random_text_never_throws()
    {
        var random = new Random(7);
        const string alphabet = "ORCH_PROGRESS step=loss=tokens=mfu=0123456789.-+eE \t=,xyz\u00e9\0";
        for (var i = 0; i < 5000; i++)
        {
            var chars = Enumerable.Range(0, random.Next(0, 80)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var text = (random.Next(2) == 0 ? "ORCH_PROGRESS " : "") + new string(chars);
            if (ProgressLine.TryParse(text, out var line)) Assert.True(line.Step >= 0 && double.IsFinite(line.Loss));
        }
    }
}
