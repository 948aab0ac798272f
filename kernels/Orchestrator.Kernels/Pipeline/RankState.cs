namespace Orchestrator.Kernels.Pipeline;

/// <summary>One rank's position, clock and bookkeeping while <see cref="PipelineScheduleSimulator"/> runs it.</summary>
internal sealed class RankState(int stage, PipelineSchedule schedule, double forwardTime, double backwardTime)
{
    private readonly HashSet<(int MicroBatch, int Chunk)> _received = [];
    private readonly HashSet<(int MicroBatch, int Chunk)> _gradientReceived = [];
    private readonly Dictionary<(int MicroBatch, int Chunk), int> _inFlight = [];  // -> weight version used forward
    private readonly HashSet<(int MicroBatch, int Chunk)> _forwarded = [];
    private readonly HashSet<(int MicroBatch, int Chunk)> _backwarded = [];
    private readonly SortedSet<int> _versions = [0];
    private int _forwardVersion;
    private int _optimizerSteps;

    public int Stage => stage;
    public IReadOnlyList<PipelineOperation> Program { get; } = schedule.For(stage);
    public int Next { get; private set; }
    public bool Finished => Next >= Program.Count;
    public double Clock { get; private set; }
    public double Busy { get; private set; }
    public int MaxInFlight { get; private set; }

    private int Stages => schedule.Options.Stages;
    private int LastVirtualStage => schedule.VirtualStageCount - 1;

    /// <summary>Executes the next operation if it can run now; false when finished or waiting on a receive.</summary>
    public bool TryStep(Dictionary<(bool Gradient, int MicroBatch, int VirtualStage), (int Source, double Time)> mailbox)
    {
        if (Finished) return false;
        var op = Program[Next];
        var key = (op.MicroBatch, op.Chunk);
        var virtualStage = schedule.VirtualStageOf(stage, op.Chunk);
        switch (op.Kind)
        {
            case PipelineOperationKind.ReceiveActivation:
            case PipelineOperationKind.ReceiveGradient:
            {
                var gradient = op.Kind == PipelineOperationKind.ReceiveGradient;
                if (!mailbox.Remove((gradient, op.MicroBatch, virtualStage), out var message)) return false;
                Require(message.Source == op.PeerStage, op, $"message came from rank {message.Source}");
                Require((gradient ? _gradientReceived : _received).Add(key), op, "received twice");
                Clock = Math.Max(Clock, message.Time);
                break;
            }
            case PipelineOperationKind.SendActivation:
            case PipelineOperationKind.SendGradient:
            {
                var gradient = op.Kind == PipelineOperationKind.SendGradient;
                var destination = gradient ? virtualStage - 1 : virtualStage + 1;
                Require(destination >= 0 && destination <= LastVirtualStage, op, "no virtual stage to send to");
                Require(destination % Stages == op.PeerStage, op, $"virtual stage {destination} lives on rank {destination % Stages}");
                Require(gradient ? _backwarded.Contains(key) : _forwarded.Contains(key), op, "sends a result not computed yet");
                Require(mailbox.TryAdd((gradient, op.MicroBatch, destination), (stage, Clock)), op, "sent twice");
                break;
            }
            case PipelineOperationKind.Forward:
                Require(op.Chunk >= 0 && op.Chunk < schedule.Options.VirtualStages, op, "chunk out of range");
                Require(virtualStage == 0 || _received.Contains(key), op, "input activation not received");
                Require(_forwarded.Add(key), op, "forwarded twice");
                Require(op.WeightVersion == _forwardVersion && _versions.Contains(op.WeightVersion), op, $"forwards must use the current, live version {_forwardVersion}");
                _inFlight[key] = op.WeightVersion;
                MaxInFlight = Math.Max(MaxInFlight, _inFlight.Count);
                Clock += forwardTime;
                Busy += forwardTime;
                break;
            case PipelineOperationKind.Backward:
                Require(_inFlight.Remove(key, out var version), op, "backward before its forward");
                Require(_backwarded.Add(key), op, "backwarded twice");
                Require(version == op.WeightVersion && _versions.Contains(version), op, $"backward must use its forward's weights (version {version})");
                Require(virtualStage == LastVirtualStage || _gradientReceived.Contains(key), op, "output gradient not received");
                Clock += backwardTime;
                Busy += backwardTime;
                break;
            case PipelineOperationKind.OptimizerStep:
                OptimizerStep(op);
                break;
            case PipelineOperationKind.WeightVersionSwitch:
                Require(_versions.Contains(op.WeightVersion) && op.WeightVersion > _forwardVersion, op, "switches to a version that does not exist");
                _forwardVersion = op.WeightVersion;
                break;
        }

        Next++;
        return true;
    }

    private void OptimizerStep(PipelineOperation op)
    {
        _optimizerSteps++;
        var perBatch = schedule.Options.MicroBatches * schedule.Options.VirtualStages;
        Require(_backwarded.Count == _optimizerSteps * perBatch, op, $"step {_optimizerSteps} before the batch's {perBatch} backwards finished");
        if (schedule.Options.Kind != PipelineScheduleKind.PipeDream2BW)
        {
            Require(_inFlight.Count == 0, op, "a flushing schedule steps with micro-batches in flight");
            return;
        }

        var created = op.WeightVersion;
        Require(created == _versions.Max + 1 && created == _optimizerSteps, op, $"step {_optimizerSteps} must create version {_optimizerSteps}");
        // Batch created-1 (which used version created-2) has drained, so that version is overwritten by the new one;
        // batch created uses version created-1 and must not depend on anything older.
        Require(_inFlight.Values.All(v => v >= created - 1), op, "a stashed micro-batch still needs the version being overwritten");
        _versions.RemoveWhere(v => v < created - 1);
        _versions.Add(created);
        Require(_versions.Count <= 2, op, $"needs {_versions.Count} weight versions at once");
    }

    public void CheckComplete(int microBatchesPerRank)
    {
        var expected = microBatchesPerRank * schedule.Options.VirtualStages;
        if (_forwarded.Count != expected || _backwarded.Count != expected || _inFlight.Count != 0)
            throw new InvalidOperationException($"rank {stage} ran {_forwarded.Count} forwards and {_backwarded.Count} backwards, expected {expected} each");
        if (_optimizerSteps != schedule.Options.Batches)
            throw new InvalidOperationException($"rank {stage} took {_optimizerSteps} optimizer steps, expected {schedule.Options.Batches}");
    }

    private void Require(bool condition, PipelineOperation op, string problem)
    {
        if (!condition) throw new InvalidOperationException($"rank {stage}, operation {Next} {op}: {problem}");
    }
}
