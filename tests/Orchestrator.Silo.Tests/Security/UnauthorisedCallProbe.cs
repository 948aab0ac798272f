using System.Reflection;
using Orchestrator.Client;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Security;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// Calls every grain interface method of the contracts (found by reflection) as an anonymous client, as another user
/// (on a job that is not theirs), and as a worker holding the secret of another attempt, with default arguments.
/// A call counts as accepted when it returns without <see cref="AccessDeniedException"/> (one-way calls: when the
/// silo's refusal counter does not move). Shared with the benchmark suite <c>security</c> (linked source).
/// </summary>
public static class UnauthorisedCallProbe
{
    private static readonly MethodInfo GetGrain = typeof(IGrainFactory).GetMethods()
        .Single(m => m.Name == nameof(IGrainFactory.GetGrain) && m.IsGenericMethod && m.GetParameters() is [{ ParameterType: var k }, _] && k == typeof(string));

    /// <param name="callers">Clients by who they are: <c>anonymous</c>, <c>other-user</c>, <c>other-attempt-worker</c>.</param>
    /// <param name="jobId">A job the other user does not own, whose worker secret (attempt 1) is tried on attempt 0.</param>
    /// <param name="refused">The silo's count of refused calls, all reasons.</param>
    /// <returns>Calls tried, and a line for each call that was accepted.</returns>
    public static async Task<(int Tried, List<string> Accepted)> RunAsync(IReadOnlyDictionary<string, OrchestratorClient> callers, string jobId, Func<double> refused)
    {
        var rules = new AccessRules();
        var accepted = new List<string>();
        var tried = 0;
        foreach (var method in AccessRules.GrainMethods([typeof(IJobGrain).Assembly]))
        {
            var attribute = rules.For(method)?.Attribute;
            // The scheduler's and backends' calls are declared once for every workload kind; a job's proxy carries them.
            var grainInterface = method.DeclaringType == typeof(IWorkloadGrain) ? typeof(IJobGrain) : method.DeclaringType!;
            var key = grainInterface == typeof(IJobGrain) || grainInterface == typeof(IEvaluationRunGrain) ? jobId
                : grainInterface == typeof(IPipelineStageGrain) || grainInterface == typeof(IEvaluationShardGrain) ? $"{jobId}/0"
                : grainInterface == typeof(IGpuGrain) ? "local-0/0"
                : grainInterface == typeof(INodeGrain) ? "local-0" : "default";
            foreach (var (who, client) in callers)
            {
                // What every user may do (read the cluster, list its own jobs, submit) and any worker's node heartbeat are not refusals to try.
                var userWide = attribute is not null && (attribute.Scope is AccessScope.Submit or AccessScope.OwnJobList || (attribute.Scope == AccessScope.Role && attribute.Role == Role.User));
                if ((who == "other-user" && userWide) || (who == "other-attempt-worker" && attribute?.Scope == AccessScope.AnyWorker)) continue;
                tried++;
                var before = refused();
                var grain = GetGrain.MakeGenericMethod(grainInterface).Invoke(client.Grains, [key, null]);
                var arguments = method.GetParameters().Select(p => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null).ToArray();
                var call = (Task)method.Invoke(grain, arguments)!;
                bool wasRefused;
                if (method.GetCustomAttribute<Orleans.Concurrency.OneWayAttribute>() is null)
                {
                    try
                    {
                        await call;
                        wasRefused = false;
                    }
                    catch (AccessDeniedException)
                    {
                        wasRefused = true;
                    }
                    catch (Exception)
                    {
                        // Reached the grain and failed there: the call was let through.
                        wasRefused = false;
                    }
                }
                else
                {
                    await call;
                    for (var i = 0; i < 200 && refused() <= before; i++) await Task.Delay(25);
                    wasRefused = refused() > before;
                }

                if (!wasRefused) accepted.Add($"{who} {method.DeclaringType!.Name}.{method.Name}");
            }
        }

        return (tried, accepted);
    }
}
