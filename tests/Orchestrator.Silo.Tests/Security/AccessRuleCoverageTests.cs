using Orchestrator.Contracts.Scheduling;
using System.Reflection;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Security;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// Every grain interface method has a declared rule, and no rule lets an anonymous caller, another user or a worker
/// of another attempt through where it should not. A grain method added without <c>[Access(...)]</c> fails here.
/// </summary>
public sealed class AccessRuleCoverageTests
{
    /// <summary>The assemblies that declare grain interfaces: Contracts (public ones) and the silo (internal ones).</summary>
    private static readonly Assembly[] Declaring = [typeof(IJobGrain).Assembly, typeof(AccessFilter).Assembly];

    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        foreach (var method in AccessRules.GrainMethods(Declaring)) data.Add(Name(method));
        return data;
    }

    [Fact]
    public void The_enumeration_finds_every_grain_interface_of_the_contracts()
    {
        var interfaces = AccessRules.GrainMethods(Declaring).Select(m => m.DeclaringType!.Name).Distinct().ToList();
        Assert.Contains("IJobGrain", interfaces);
        Assert.Contains("ISchedulerGrain", interfaces);
        Assert.Contains("IGpuGrain", interfaces);
        Assert.True(AccessRules.GrainMethods(Declaring).Count() >= 35);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Every_grain_method_declares_who_may_call_it(string name)
    {
        var method = Find(name);
        Assert.True(new AccessRules().For(method) is not null,
            $"{name} has no [Access(...)] rule: add one in the interface (see docs/security.md, 'A new grain method')");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Every_grain_method_refuses_an_anonymous_caller_another_user_and_a_worker_of_another_attempt(string name)
    {
        var rule = new AccessRules().For(Find(name))!;
        var attribute = rule.Attribute;
        var facts = new CallFacts(name, "job-a", "alice", 2, Spec("job-a").Metadata);
        var bob = new Principal("bob", Role.User, [], "t-bob", null);
        var staleWorker = new Principal("worker:job-a/1", null, [], null, new WorkerGrant("job-a", 1));
        var otherJobWorker = new Principal("worker:job-b/2", null, [], null, new WorkerGrant("job-b", 2));

        Assert.Equal("unauthenticated", AccessPolicy.Decide(attribute, null, facts)?.Reason);
        // A node heartbeat is the one call any worker of a live attempt may make (its key is a node, not an attempt).
        if (attribute.Scope != AccessScope.AnyWorker)
        {
            Assert.NotNull(AccessPolicy.Decide(attribute, staleWorker, facts));
            Assert.NotNull(AccessPolicy.Decide(attribute, otherJobWorker, facts));
        }

        // Another user may only do what every user may: reads of the cluster, its own list, a submission of its own.
        var userWide = attribute.Scope is AccessScope.Submit or AccessScope.OwnJobList
            || (attribute.Scope == AccessScope.Role && attribute.Role == Role.User);
        Assert.Equal(userWide, AccessPolicy.Decide(attribute, bob, facts) is null);
    }

    [Fact]
    public void The_owner_and_the_attempts_own_worker_are_let_through()
    {
        var rules = new AccessRules();
        var facts = new CallFacts("m", "job-a", "alice", 2, Spec("job-a").Metadata);
        var alice = new Principal("alice", Role.User, [], "t-a", null);
        var worker = new Principal("worker:job-a/2", null, [], null, new WorkerGrant("job-a", 2));
        Assert.Null(AccessPolicy.Decide(rules.For(typeof(IJobGrain).GetMethod(nameof(IJobGrain.CancelAsync))!)!.Attribute, alice, facts));
        Assert.Null(AccessPolicy.Decide(rules.For(typeof(IJobGrain).GetMethod(nameof(IJobGrain.ReportStepAsync))!)!.Attribute, worker, facts));
        Assert.NotNull(AccessPolicy.Decide(rules.For(typeof(IJobGrain).GetMethod(nameof(IJobGrain.CancelAsync))!)!.Attribute, worker, facts));
        Assert.Equal("internal_only", AccessPolicy.Decide(rules.For(typeof(IWorkloadGrain).GetMethod(nameof(IWorkloadGrain.StartAttemptAsync))!)!.Attribute,
            new Principal("root", Role.Admin, [], "t-r", null), facts)?.Reason);
    }

    [Fact]
    public void A_user_limited_to_queues_cannot_submit_elsewhere_and_the_refusal_names_the_field()
    {
        var submit = new AccessRules().For(typeof(IJobGrain).GetMethod(nameof(IJobGrain.SubmitAsync))!)!.Attribute;
        var alice = new Principal("alice", Role.User, ["research"], "t-a", null);
        var refusal = AccessPolicy.Decide(submit, alice, new CallFacts("m", "x-1", null, null, Spec("x", "prod").Metadata));
        Assert.StartsWith("metadata.queue", refusal?.Message, StringComparison.Ordinal);
        Assert.Null(AccessPolicy.Decide(submit, alice, new CallFacts("m", "x-1", null, null, Spec("x", "research").Metadata)));
    }

    private static TrainingJobSpec Spec(string name, string queue = "default") => SecureDaemonFixture.Spec(name, queue);

    private static string Name(MethodInfo method) => $"{method.DeclaringType!.FullName}.{method.Name}";

    private static MethodInfo Find(string name) => AccessRules.GrainMethods(Declaring).First(m => Name(m) == name);
}
