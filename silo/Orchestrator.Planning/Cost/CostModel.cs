using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Cost;

/// <summary>
/// Predicts the time of one training iteration of a GPT-style model under a parallel layout on a given GPU and
/// links. The equations and the calibration of <see cref="CostModelConstants"/> are in <c>docs/planner.md</c>.
/// </summary>
public sealed class CostModel
{
    /// <summary>Creates a cost model with the given constants, or the calibrated defaults.</summary>
    /// <exception cref="ArgumentException">A constant lies outside its physical range.</exception>
    public CostModel(CostModelConstants? constants = null)
    {
        Constants = constants ?? CostModelConstants.Default;
        if (Constants.Validate() is { } error) throw new ArgumentException(error, nameof(constants));
    }

    /// <summary>The constants in use.</summary>
    public CostModelConstants Constants { get; }

    /// <summary>Predicts one iteration.</summary>
    /// <param name="model">The model; must be valid.</param>
    /// <param name="training">Global batch and gradient-reduction overlap.</param>
    /// <param name="choice">Layout and per-rank choices; must suit the model and batch.</param>
    /// <param name="gpu">The device every rank runs on.</param>
    /// <param name="links">The link each group kind's traffic uses.</param>
    /// <exception cref="ArgumentException">The model, the batch or the choice is invalid; the message names the field.</exception>
    public IterationEstimate Estimate(TransformerModel model, TrainingShape training, LayoutChoice choice, GpuModel gpu, GroupLinks links)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(links);
        model.EnsureValid();
        if (training.Validate() is { } trainingError) throw new ArgumentException(trainingError, nameof(training));
        var errors = choice.Validate(model, training);
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(choice));
        return new IterationCalculator(model, training, gpu, Constants).Estimate(choice, links);
    }
}
