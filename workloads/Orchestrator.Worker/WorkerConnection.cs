using Orchestrator.Client;
using Orchestrator.Contracts.Workers;

namespace Orchestrator.Worker;

/// <summary>The worker's link to the control plane: the gateways its assignment names, with its attempt's secret.</summary>
internal static class WorkerConnection
{
    public static Task<OrchestratorClient> ConnectAsync(WorkerAssignment assignment, CancellationToken cancellationToken) =>
        OrchestratorClient.ConnectAsync(new OrchestratorClientOptions
        {
            Gateways = assignment.Gateways,
            RedisConnection = assignment.RedisConnection,
            ClusterId = assignment.ClusterId,
            ServiceId = assignment.ServiceId,
            Token = assignment.Credential,
            // The launching silo sets these when its gateway speaks TLS (a pod's come from the mounted Secret).
            Tls = ClientTlsOptions.FromEnvironment(),
        }, cancellationToken);
}
