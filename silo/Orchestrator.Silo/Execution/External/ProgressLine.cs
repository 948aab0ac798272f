using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Orchestrator.Silo.Execution.External;

/// <summary>
/// One progress report a user's program prints on its standard output, a line of its own:
/// <code>ORCH_PROGRESS step=120 loss=3.214 tokens=65536 step_seconds=0.41 mfu=0.38</code>
/// The marker first, then <c>key=value</c> fields separated by spaces or tabs, in any order: <c>step</c> (steps
/// completed, a whole number ≥ 0) and <c>loss</c> (a finite number) are required; <c>tokens</c> (tokens processed,
/// over all ranks, since the previous progress line; whole, ≥ 0), <c>step_seconds</c> (seconds per step, &gt; 0) and
/// <c>mfu</c> (0..1) are optional. Unknown keys are ignored so programs may add their own; a repeated key, a value
/// out of range or a missing required field makes the line not a progress line (it is still logged).
/// Numbers use '.' for decimals. Hand-written rather than a regular expression so that the rules above (and every
/// rejection) are explicit and the parse never throws.
/// </summary>
/// <param name="Step">Steps completed.</param>
/// <param name="Loss">Training loss at that step.</param>
/// <param name="Tokens">Tokens processed since the previous progress line; null when not given.</param>
/// <param name="StepSeconds">Seconds per step as the program measured it; null to let the relay measure.</param>
/// <param name="ModelFlopsUtilization">MFU as the program computed it; null when not given.</param>
internal sealed record ProgressLine(long Step, double Loss, long? Tokens, double? StepSeconds, double? ModelFlopsUtilization)
{
    /// <summary>The marker a progress line starts with.</summary>
    public const string Marker = "ORCH_PROGRESS";

    /// <summary>Longer lines are not progress lines (and are not scanned field by field).</summary>
    public const int MaxLength = 1024;

    /// <summary>The line as the program should print it.</summary>
    public override string ToString()
    {
        var text = $"{Marker} step={Step.ToString(CultureInfo.InvariantCulture)} loss={Loss.ToString("R", CultureInfo.InvariantCulture)}";
        if (Tokens is { } tokens) text += $" tokens={tokens.ToString(CultureInfo.InvariantCulture)}";
        if (StepSeconds is { } seconds) text += $" step_seconds={seconds.ToString("R", CultureInfo.InvariantCulture)}";
        if (ModelFlopsUtilization is { } mfu) text += $" mfu={mfu.ToString("R", CultureInfo.InvariantCulture)}";
        return text;
    }

    /// <summary>Reads <paramref name="line"/> as a progress line; false (never an exception) for anything else.</summary>
    public static bool TryParse(string? line, [NotNullWhen(true)] out ProgressLine? progress)
    {
        progress = null;
        if (line is null || line.Length > MaxLength) return false;
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0 || fields[0] != Marker) return false;

        long? step = null, tokens = null;
        double? loss = null, seconds = null, mfu = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields.AsSpan(1))
        {
            var equals = field.IndexOf('=');
            if (equals <= 0) return false;
            var key = field[..equals];
            var value = field[(equals + 1)..];
            if (!seen.Add(key)) return false;
            var ok = key switch
            {
                "step" => Whole(value, out step),
                "loss" => Finite(value, out loss),
                "tokens" => Whole(value, out tokens),
                "step_seconds" => Finite(value, out seconds) && seconds > 0,
                "mfu" => Finite(value, out mfu) && mfu is >= 0 and <= 1,
                _ => true,
            };
            if (!ok) return false;
        }

        if (step is null || loss is null) return false;
        progress = new ProgressLine(step.Value, loss.Value, tokens, seconds, mfu);
        return true;
    }

    private static bool Whole(string text, out long? value)
    {
        value = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return value is not null;
    }

    private static bool Finite(string text, out double? value)
    {
        value = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) ? parsed : null;
        return value is not null;
    }
}
