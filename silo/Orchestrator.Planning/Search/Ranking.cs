using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Memory;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Search;

/// <summary>Keeps the fastest few plans seen so far, fastest first.</summary>
internal sealed class Ranking(int capacity)
{
    private readonly List<PlanEstimate> _plans = new(capacity + 1);

    public int Count => _plans.Count;

    public int Evaluated { get; private set; }

    public IReadOnlyList<PlanEstimate> Plans => _plans;

    public void Offer(LayoutChoice choice, MemoryEstimate memory, IterationCalculator calculator, GroupLinks links)
    {
        Evaluated++;
        var breakdown = calculator.Breakdown(choice, links);
        if (_plans.Count == capacity && breakdown.TotalSeconds >= _plans[^1].IterationSeconds) return;

        var cost = calculator.Complete(choice, breakdown);
        var index = _plans.FindIndex(plan => plan.IterationSeconds > cost.IterationSeconds);
        _plans.Insert(index < 0 ? _plans.Count : index, new PlanEstimate(choice, cost, memory));
        if (_plans.Count > capacity) _plans.RemoveAt(_plans.Count - 1);
    }
}
