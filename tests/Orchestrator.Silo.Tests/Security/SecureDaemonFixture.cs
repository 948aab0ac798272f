using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Client.Specs;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Api;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Security;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// A real daemon host (as <c>orch up --auth FILE --api-port N</c> builds it) with the simulated backend, on loopback:
/// tokens for two users (alice may submit only to <c>research</c> and <c>default</c>), an operator and an admin; the
/// test acts as the workers with the attempt secrets the backend was given.
/// </summary>
public sealed class SecureDaemonFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, OrchestratorClient> _clients = new();
    private IHost? _host;

    public string DataDirectory { get; } = TestJobs.TemporaryDirectory("secure");

    public string DataRoot => Path.Combine(DataDirectory, "datasets");

    internal OrchestratorSiloOptions Options { get; private set; } = null!;

    public string Alice { get; private set; } = "";

    public string Bob { get; private set; } = "";

    public string Operator { get; private set; } = "";

    public string Admin { get; private set; } = "";

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The identity provider whose tokens the daemon accepts (role claim values are role names).</summary>
    internal TestOidcIssuer Oidc { get; private set; } = null!;

    internal SimulatedBackend Backend => _host!.Services.GetRequiredService<SimulatedBackend>();

    internal SecurityMetrics Metrics => _host!.Services.GetRequiredService<SecurityMetrics>();

    public async Task InitializeAsync()
    {
        var authFile = Path.Combine(DataDirectory, "auth.json");
        var now = DateTimeOffset.UtcNow;
        Alice = AuthFile.AddToken(authFile, "alice", Role.User, ["research", "default"], now);
        Bob = AuthFile.AddToken(authFile, "bob", Role.User, [], now);
        Operator = AuthFile.AddToken(authFile, "olga", Role.Operator, [], now);
        Admin = AuthFile.AddToken(authFile, "root", Role.Admin, [], now);
        Options = DaemonHost.Options(DataDirectory);
        Options.Backend = "simulated";
        Options.LocalDevices = 4;
        Options.Security.AuthFile = authFile;
        Options.Security.AuthReloadInterval = TimeSpan.FromMilliseconds(100);
        Oidc = new TestOidcIssuer(DataDirectory);
        Options.Security.Oidc = Oidc.Options;
        Options.Security.DataRoots = [DataRoot];
        Options.Security.Queues["research"] = new QueuePolicy { MaxPriority = 50 };
        Options.Api.Port = FreePorts.Next();
        Options.Api.EventPollInterval = TimeSpan.FromMilliseconds(50);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(new JobSpecFormat(JobSpecLoader.Parse, JobIds.New));
        builder.AddOrchestratorSilo(Options);
        _host = builder.Build();
        await _host.StartAsync();
        Http.BaseAddress = new Uri($"http://127.0.0.1:{Options.Api.Port}");
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) await client.DisposeAsync();
        Http.Dispose();
        Oidc.Dispose();
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    /// <summary>A client holding <paramref name="token"/> (null: none), connected once and reused.</summary>
    public async Task<OrchestratorClient> ClientAsync(string? token)
    {
        var key = token ?? "";
        if (_clients.TryGetValue(key, out var existing)) return existing;
        var client = await OrchestratorClient.ConnectAsync(new OrchestratorClientOptions
        {
            Gateways = [$"127.0.0.1:{Options.GatewayPort}"],
            ClusterId = Options.ClusterId,
            ServiceId = Options.ServiceId,
            Token = token,
        });
        return _clients.GetOrAdd(key, client);
    }

    /// <summary>The assignment the backend was given for the job's running attempt, once it is launched.</summary>
    internal async Task<WorkerAssignment> LaunchedAsync(string jobId)
    {
        for (var i = 0; i < 400; i++)
        {
            if (Backend.Running.Where(a => a.JobId == jobId).MaxBy(a => a.Attempt) is { } assignment) return assignment;
            await Task.Delay(50);
        }

        throw new TimeoutException($"job {jobId} was never launched");
    }

    /// <summary>A job alice submitted, once launched: her client, the job and its worker's assignment.</summary>
    internal async Task<(OrchestratorClient Alice, JobView Job, WorkerAssignment Assignment)> LaunchedJobAsync(string name)
    {
        var alice = await ClientAsync(Alice);
        var job = await alice.SubmitAsync(Spec(name));
        return (alice, job, await LaunchedAsync(job.Id));
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? token, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/yaml");
        return request;
    }

    /// <summary>A valid spec of a job of one device in <paramref name="queue"/>.</summary>
    public static TrainingJobSpec Spec(string name, string queue = "default", int priority = 0) =>
        TestJobs.Tiny(name, steps: 5, gpus: 1, priority: priority) with { Metadata = new JobMetadata(name, queue, priority) };
}
