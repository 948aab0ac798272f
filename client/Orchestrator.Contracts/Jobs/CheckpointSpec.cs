using System.Globalization;

namespace Orchestrator.Contracts.Jobs;

/// <summary>When to checkpoint and how many to keep. <c>every</c> is <c>auto</c>, a number of steps, or a time.</summary>
/// <param name="EverySteps">Checkpoint every this many steps; null with <paramref name="EverySeconds"/> null means <c>auto</c> (Young/Daly interval).</param>
/// <param name="Keep">Newest checkpoints kept.</param>
/// <param name="EverySeconds">Checkpoint at the first step boundary after this much time; null unless <c>every</c> was a time (<c>90s</c>, <c>30m</c>, <c>2h</c>).</param>
[GenerateSerializer, Immutable]
public sealed record CheckpointSpec(
    [property: Id(0)] int? EverySteps = null,
    [property: Id(1)] int Keep = 3,
    [property: Id(2)] double? EverySeconds = null)
{
    /// <summary>True when the interval is the Young/Daly optimum.</summary>
    public bool IsAuto => EverySteps is null && EverySeconds is null;

    /// <summary>
    /// Reads the text form of <c>checkpoint.every</c>: <c>auto</c>, a step count (<c>500</c> or <c>500 steps</c>), or a
    /// time (<c>90s</c>, <c>30m</c>, <c>1.5h</c>). Returns the steps or the seconds (both null for <c>auto</c>).
    /// </summary>
    /// <exception cref="FormatException">The text is none of these; the message lists the accepted forms.</exception>
    public static (int? Steps, double? Seconds) ParseEvery(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim().ToLowerInvariant();
        if (value == "auto") return (null, null);
        var number = value.TrimEnd('s', 'm', 'h', 't', 'e', 'p', ' ');
        var unit = value[number.Length..].Trim();
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0 && double.IsFinite(amount))
        {
            switch (unit)
            {
                case "" or "steps" or "step" when amount == Math.Floor(amount) && amount <= int.MaxValue:
                    return ((int)amount, null);
                case "s":
                    return (null, amount);
                case "m":
                    return (null, amount * 60);
                case "h":
                    return (null, amount * 3600);
            }
        }

        throw new FormatException($"'{text}' is not understood; use 'auto', a positive whole number of steps ('500' or '500 steps'), or a positive time ('90s', '30m', '2h')");
    }
}
