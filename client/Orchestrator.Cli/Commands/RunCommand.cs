using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Cli.Hosting;
using Orchestrator.Cli.Output;
using Orchestrator.Client;
using Orchestrator.Client.Specs;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orch run FILE</c>: the all-in-one. Uses the daemon at the gateway, or starts one in this process when none
/// answers; submits the job (or evaluation run), shows live progress, prints a summary (an evaluation's scores), and
/// exits 0 only if it succeeded.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "TrainingJob or EvaluationJob document (YAML or JSON)" };
        var dataDirectory = new Option<string?>("--data-dir") { Description = "Data folder of an in-process daemon (default $ORCH_HOME or ~/.orchestrator)" };
        var inventory = new Option<string>("--inventory") { Description = "Inventory of an in-process daemon: 'local' or a YAML file", DefaultValueFactory = _ => "local" };
        var localDevices = new Option<int?>("--local-devices") { Description = "CPU devices the local inventory of an in-process daemon offers (default: processor count)" };
        var command = new Command("run", "Run a job to completion, starting an in-process daemon if none answers") { file, dataDirectory, inventory, localDevices };
        command.SetAction(async (parse, ct) =>
        {
            var document = await JobSpecLoader.LoadDocumentAsync(parse.GetValue(file)!, ct);
            var clientOptions = GlobalOptions.ClientOptions(parse);
            IHost? daemon = null;
            if (clientOptions.RedisConnection is null && !await Connection.AnyAnswersAsync(clientOptions.Gateways, ct))
            {
                var gateway = GatewayAddress.Parse(clientOptions.Gateways[0]);
                console.Out.WriteLine($"no daemon answers at {clientOptions.Gateways[0]}: starting one in this process");
                var local = new OrchestratorSiloOptions
                {
                    DataDirectory = parse.GetValue(dataDirectory) ?? OrchestratorSiloOptions.DefaultDataDirectory(),
                    GatewayPort = gateway.Port,
                    SiloPort = gateway.Port == 30000 ? 11111 : gateway.Port + 1,
                    AdvertisedAddress = gateway.Address.ToString(),
                    MetricsPort = 0,
                    Inventory = parse.GetValue(inventory)!,
                    LocalDevices = parse.GetValue(localDevices) ?? Math.Max(1, Environment.ProcessorCount),
                    WorkerPath = Daemon.WorkerPath(),
                };
                // The in-process daemon serves plain TCP on loopback, whatever TLS settings the environment holds for others.
                clientOptions = clientOptions with { Token = LocalAuthentication.Secure(local, parse.GetValue(file)!), Tls = null };
                daemon = await Daemon.StartAsync(local, LogLevel.Warning, ct);
            }

            try
            {
                await using var client = await OrchestratorClient.ConnectAsync(clientOptions, ct);
                var clock = Stopwatch.StartNew();
                var redraw = ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected;
                if (document.Evaluation is { } evaluation) return await RunEvaluationAsync(client, evaluation, console.Out, redraw, clock, ct);
                var job = await client.SubmitAsync(document.Training!, ct);
                console.Out.WriteLine($"submitted {job.Id}");
                var follower = new JobFollower(console.Out, redraw);
                var state = await follower.FollowAsync(client, job.Id, ct);
                var final = await client.GetAsync(job.Id, ct);
                WriteSummary(console.Out, final, clock.Elapsed);
                return state == JobState.Succeeded ? 0 : 1;
            }
            finally
            {
                if (daemon is not null)
                {
                    await daemon.StopAsync(CancellationToken.None);
                    daemon.Dispose();
                }
            }
        });
        return command;
    }

    private static async Task<int> RunEvaluationAsync(OrchestratorClient client, EvaluationJobSpec spec, TextWriter output, bool redraw, Stopwatch clock, CancellationToken ct)
    {
        var run = await client.SubmitEvaluationAsync(spec, ct);
        output.WriteLine($"submitted {run.Id}");
        var final = await new EvaluationFollower(output, redraw).FollowAsync(client, run.Id, ct);
        EvaluationText.WriteSummary(output, final, clock.Elapsed);
        return final.State == JobState.Succeeded ? 0 : 1;
    }

    private static void WriteSummary(TextWriter output, JobView job, TimeSpan elapsed)
    {
        output.WriteLine();
        output.WriteLine($"{job.Id}: {job.State} in {elapsed.TotalSeconds:F1} s, {job.Attempts.Count} attempt(s)");
        if (job.Progress is { } p)
            output.WriteLine($"  steps {p.Step}/{p.TotalSteps}, loss {p.FirstLoss:F4} -> {p.Loss:F4}, {p.TokensPerSecond:F0} tokens/s at the end");
        if (job.Checkpoints is { Count: > 0 } checkpoints)
            output.WriteLine($"  {checkpoints.Count} checkpoint(s), the last at step {checkpoints[^1].Step}; goodput {job.Goodput!.Ratio:P0}, {job.Goodput.StepsRedone} step(s) redone");
        if (job.Message is { } message) output.WriteLine($"  {message}");
    }
}
