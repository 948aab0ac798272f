using System.Diagnostics;
using System.Net;
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
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Security;
using Orchestrator.Silo.Tests.Security;
using Orchestrator.Silo.Tests.Transport;
using Orchestrator.Silo.Transport;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// <c>security</c>: every grain method and HTTP endpoint tried without a token, with another user's token and with a
/// worker secret of another attempt (<c>unauthorised_calls_tried</c>, <c>unauthorised_calls_accepted</c>); 10,000
/// mutated documents through the SDK's loader and 1,000 through the HTTP API (<c>fuzzed_specs</c>, <c>fuzz_crashes</c>);
/// and submit plus heartbeat latency with authentication and TLS over neither (<c>auth_overhead_ratio</c>) and with TLS
/// alone over neither (<c>tls_overhead_ratio</c>), the submit's and the heartbeat's ratio also on their own
/// (<c>auth_overhead_ratio.submit</c>, <c>auth_overhead_ratio.heartbeat</c>), three daemons in this process with the
/// same history measured in rounds of shuffled order after a warm-up (<see cref="AuthOverheadRounds"/>; the probes and
/// fuzzing run afterwards on a fourth), their certificates made for the run (a test CA and a silo certificate).
/// </summary>
internal sealed class SecuritySuite : IBenchmarkSuite
{
    public string Name => "security";

    public async Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        // The daemons keep their state in memory-backed storage where the machine has it: a submit writes the job's
        // record, and on the shared disk those writes took 12-37 ms and differed by half between daemons in one run,
        // which the ratios would charge to authentication or TLS.
        var root = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "orchestrator-bench-security-" + Guid.NewGuid().ToString("N"));
        try
        {
            await RunInAsync(root, report, cancellationToken);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task RunInAsync(string root, BenchmarkReport report, CancellationToken cancellationToken)
    {
        var authFile = Path.Combine(root, "auth.json");
        var alice = AuthFile.AddToken(authFile, "alice", Role.User, [], DateTimeOffset.UtcNow);
        var bob = AuthFile.AddToken(authFile, "bob", Role.User, [], DateTimeOffset.UtcNow);
        var certificates = TestCertificates.Create(root);
        var tls = new TransportSecurityOptions { CertificateFile = certificates.Silo.Certificate, KeyFile = certificates.Silo.Key, CaFile = certificates.Ca };
        var trustCa = new ClientTlsOptions { CaFile = certificates.Ca };
        using var secured = await StartAsync(Path.Combine(root, "secured"), 21241, 40241, authFile, tls, 0, cancellationToken);
        using var encrypted = await StartAsync(Path.Combine(root, "encrypted"), 21231, 40231, null, tls, 0, cancellationToken);
        using var open = await StartAsync(Path.Combine(root, "open"), 21221, 40221, null, null, 0, cancellationToken);
        await using var aliceClient = await ConnectAsync(40241, "secured", alice, trustCa, cancellationToken);
        await using var encryptedClient = await ConnectAsync(40231, "encrypted", null, trustCa, cancellationToken);
        await using var openClient = await ConnectAsync(40221, "open", null, null, cancellationToken);
        await AuthOverheadRounds.MeasureAsync(report, (secured, aliceClient), (encrypted, encryptedClient), (open, openClient), trustCa, cancellationToken);
        await secured.StopAsync(cancellationToken);
        await encrypted.StopAsync(cancellationToken);
        await open.StopAsync(cancellationToken);
        // The probes and the fuzzing run on a daemon of their own, after the latency rounds: the thousand jobs they leave
        // behind make every later submit rewrite a fuller job-index page, which would be charged to authentication if the
        // daemon measured with authentication were this one, and the eleven thousand documents leave the process a
        // grown heap and thread pool.
        using (var probed = await StartAsync(Path.Combine(root, "probed"), 21211, 40211, authFile, tls, 40212, cancellationToken))
        {
            await ProbeAndFuzzAsync(report, probed, alice, bob, certificates, trustCa, cancellationToken);
            await probed.StopAsync(cancellationToken);
        }

        MeasureCredentialChecks(report, authFile, alice);
    }

    /// <summary>What checking one call's credential costs in the silo, with the verified-credential cache and without.</summary>
    private static void MeasureCredentialChecks(BenchmarkReport report, string authFile, string token)
    {
        const int Calls = 200_000;
        var rules = new AccessRules();
        var heartbeat = typeof(IJobGrain).GetMethod(nameof(IJobGrain.HeartbeatAsync))!;
        // The access filter's whole decision for a heartbeat, without Orleans: the rule's lookup, the key checks, the
        // credential and the policy.
        Principal? HeartbeatDecision(Principal? caller)
        {
            var rule = rules.For(heartbeat)!;
            if (JobScopedKeys.Problem(typeof(IJobGrain), "bench-job") is not null) return null;
            var facts = new CallFacts(rule.Method, JobScopedKeys.JobOf(typeof(IJobGrain), "bench-job", rule.Attribute.Scope), null, 1, null);
            return AccessPolicy.Decide(rule.Attribute, caller, facts) is null ? caller : null;
        }

        double NanosecondsPerCheck(int cacheSize, Func<Authenticator, string> credential, bool wholeDecision = false)
        {
            var authenticator = new Authenticator(Microsoft.Extensions.Options.Options.Create(new SecurityOptions { AuthFile = authFile, VerifiedCredentialCacheSize = cacheSize }));
            var text = credential(authenticator);
            var rounds = new List<double>();
            for (var round = 0; round < 6; round++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < Calls; i++)
                {
                    var caller = authenticator.AuthenticateAsync(text).Result;
                    if ((wholeDecision ? HeartbeatDecision(caller) : caller) is null) throw new InvalidOperationException("a valid credential was refused");
                }

                // The first round warms up.
                if (round > 0) rounds.Add(clock.Elapsed.TotalNanoseconds / Calls);
            }

            return Statistics.Median(rounds);
        }

        var secretCached = NanosecondsPerCheck(10_000, a => a.Workers.For("bench-job", 1));
        var secretUncached = NanosecondsPerCheck(0, a => a.Workers.For("bench-job", 1));
        var heartbeatDecision = NanosecondsPerCheck(10_000, a => a.Workers.For("bench-job", 1), wholeDecision: true);
        var tokenCached = NanosecondsPerCheck(10_000, _ => token);
        var tokenUncached = NanosecondsPerCheck(0, _ => token);
        report.Add("credential_check_ns", secretCached, "ns",
            new Dictionary<string, object>
            {
                ["attemptSecretCached"] = secretCached, ["attemptSecretUncached"] = secretUncached,
                ["apiTokenCached"] = tokenCached, ["apiTokenUncached"] = tokenUncached, ["checksPerRound"] = Calls,
                ["heartbeatDecisionCached"] = heartbeatDecision,
                ["what"] = "Authenticator.Authenticate of a worker's attempt secret (value) and of an API token, median of 5 rounds after a warm-up, cache on (10,000) and off; heartbeatDecisionCached: the access filter's whole decision for a heartbeat (rule lookup, key checks, cached secret, policy) without Orleans",
            });
    }

    private static async Task ProbeAndFuzzAsync(BenchmarkReport report, IHost secured, string alice, string bob, TestCertificates certificates, ClientTlsOptions trustCa,
        CancellationToken cancellationToken)
    {
        Task<OrchestratorClient> Secured(string? token) => ConnectAsync(40211, "probed", token, trustCa, cancellationToken);
        await using var aliceClient = await Secured(alice);
        var apiTrust = new CertificateTrust(TransportCertificates.LoadAuthorities(certificates.Ca, "CA"));
        using var http = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, server, chain, _) => server is not null && apiTrust.Accepts(server, chain, CertificateTrust.ServerAuthentication),
        }) { BaseAddress = new Uri("https://127.0.0.1:40212") };

        // Unauthorised calls.
        var target = await aliceClient.SubmitAsync(Spec("target"), cancellationToken);
        var assignment = await LaunchedAsync(secured, target.Id, cancellationToken);
        await using var anonymous = await Secured(null);
        await using var bobClient = await Secured(bob);
        await using var staleWorker = await Secured(assignment.Credential);
        var metrics = secured.Services.GetRequiredService<SecurityMetrics>();
        var grainProbe = await UnauthorisedCallProbe.RunAsync(
            new Dictionary<string, OrchestratorClient> { ["anonymous"] = anonymous, ["other-user"] = bobClient, ["other-attempt-worker"] = staleWorker },
            target.Id, () => SecurityMetrics.Reasons.Sum(metrics.RefusedCount));
        var httpProbe = await HttpEndpointProbe.RunAsync(http, target.Id, SpecFuzz.ValidDocument, bob);
        report.Add("unauthorised_calls_tried", grainProbe.Tried + httpProbe.Tried, "calls",
            new Dictionary<string, object> { ["grainCalls"] = grainProbe.Tried, ["httpRequests"] = httpProbe.Tried });
        report.Add("unauthorised_calls_accepted", grainProbe.Accepted.Count + httpProbe.Accepted.Count, "calls",
            new Dictionary<string, object> { ["accepted"] = grainProbe.Accepted.Concat(httpProbe.Accepted).ToList() });

        // Fuzzing.
        var loaderDocuments = SpecFuzz.Sample(10_000);
        var crashes = loaderDocuments.Select(SpecFuzz.Check).Where(problem => problem is not null).ToList();
        var httpDocuments = SpecFuzz.Sample(1_000);
        foreach (var document in httpDocuments)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = new StringContent(document) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", alice);
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.BadRequest ? !body.Contains("\"path\":\"", StringComparison.Ordinal) : response.StatusCode != HttpStatusCode.Created)
                crashes.Add($"{(int)response.StatusCode}: {body}");
            // Accepted ones leave the queue again, so both daemons are measured below with the same load.
            if (response.StatusCode == HttpStatusCode.Created)
                await aliceClient.CancelAsync(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!, "benchmark", cancellationToken);
        }

        report.Add("fuzzed_specs", loaderDocuments.Length + httpDocuments.Length, "documents",
            new Dictionary<string, object> { ["throughLoader"] = loaderDocuments.Length, ["throughHttpApi"] = httpDocuments.Length });
        report.Add("fuzz_crashes", crashes.Count, "documents", new Dictionary<string, object> { ["first"] = crashes.Take(3).ToList() });
    }

    /// <summary>A heartbeat of the worker of <paramref name="assignment"/>, through <paramref name="client"/>.</summary>
    internal static Func<Task> Beat(OrchestratorClient client, WorkerAssignment assignment)
    {
        var grain = client.Grains.GetGrain<IJobGrain>(assignment.JobId);
        return () => grain.HeartbeatAsync(assignment.Attempt, assignment.Node);
    }

    internal static async Task<WorkerAssignment> LaunchedAsync(IHost host, string jobId, CancellationToken cancellationToken)
    {
        var backend = host.Services.GetRequiredService<SimulatedBackend>();
        while (true)
        {
            if (backend.Running.FirstOrDefault(a => a.JobId == jobId) is { } assignment) return assignment;
            await Task.Delay(20, cancellationToken);
        }
    }

    internal static async Task<IHost> StartAsync(string directory, int siloPort, int gatewayPort, string? authFile, TransportSecurityOptions? tls, int apiPort,
        CancellationToken cancellationToken)
    {
        var options = new OrchestratorSiloOptions
        {
            DataDirectory = directory, Backend = "simulated", MetricsPort = 0, SiloPort = siloPort, GatewayPort = gatewayPort, LocalDevices = 64,
            ClusterId = "bench-" + Path.GetFileName(directory),
        };
        options.Security.AuthFile = authFile;
        options.Tls = tls ?? new TransportSecurityOptions();
        options.Api.Port = apiPort;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Services.AddSingleton(new JobSpecFormat(JobSpecLoader.Parse, JobIds.New));
        builder.AddOrchestratorSilo(options);
        builder.Services.Configure<JobSupervisionOptions>(o => o.HeartbeatTimeout = o.StartTimeout = TimeSpan.FromHours(1));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    internal static Task<OrchestratorClient> ConnectAsync(int gatewayPort, string daemon, string? token, ClientTlsOptions? tls, CancellationToken cancellationToken) =>
        OrchestratorClient.ConnectAsync(new OrchestratorClientOptions
        {
            Gateways = [$"127.0.0.1:{gatewayPort}"], ClusterId = "bench-" + daemon, Token = token, Tls = tls,
        }, cancellationToken);

    internal static TrainingJobSpec Spec(string name) => new(
        new JobMetadata(name),
        new ModelSpec("gpt", 2, 32, 4, 16, 64),
        new DataSpec("builtin:synthetic"),
        new TrainingSpec(4, 10, new OptimizerSpec("adamw", 3e-3)),
        new ParallelismSpec(false, 1, 1, 1, MicroBatch: 4),
        new ResourcesSpec(1, "cpu"),
        new CheckpointSpec(),
        RuntimeSpec.BuiltIn,
        new RestartPolicySpec(3, 0.2, 1));
}
