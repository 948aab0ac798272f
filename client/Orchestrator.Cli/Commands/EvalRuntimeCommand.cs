using System.CommandLine;
using Orchestrator.Cli.Output;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orch eval runtime MODEL --prompt-tokens N --output-tokens M --profiles FILE [--denoised-profiles FILE]</c>: HELM's
/// idealized (and denoised) runtime of one request, from runtime-profile files in HELM's format (HELM's own files or
/// ours written by the profile fitter). Offline: reads only the files.
/// </summary>
internal static class EvalRuntimeCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name as the profile files list it (e.g. openai/davinci)" };
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Prompt tokens of the request", Required = true };
        var outputTokens = new Option<int>("--output-tokens") { Description = "Generated tokens of the request", Required = true };
        var profiles = new Option<FileInfo>("--profiles") { Description = "Idealized runtime profiles (HELM's inference_idealized_runtimes.json format)", Required = true };
        var denoised = new Option<FileInfo?>("--denoised-profiles") { Description = "Denoised runtime profiles (HELM's inference_denoised_runtimes.json format)" };
        var output = OutputOption.Create();
        var runtime = new Command("runtime", "Idealized and denoised runtime of a request from HELM-format runtime profiles")
        {
            model, promptTokens, outputTokens, profiles, denoised, output,
        };
        runtime.SetAction(parse =>
        {
            var prompt = parse.GetValue(promptTokens);
            var generated = parse.GetValue(outputTokens);
            if (prompt < 0 || generated < 0)
            {
                console.Error.WriteLine($"error: {(prompt < 0 ? "--prompt-tokens" : "--output-tokens")} must be >= 0, got {(prompt < 0 ? prompt : generated)}");
                return 1;
            }

            var name = parse.GetValue(model)!;
            var idealized = Estimate(parse.GetValue(profiles)!, name, prompt, generated);
            var denoisedFile = parse.GetValue(denoised);
            var estimate = new EvalRuntimeEstimate(name, prompt, generated, idealized,
                denoisedFile is null ? null : Estimate(denoisedFile, name, prompt, generated));
            var format = parse.GetValue(output);
            if (format == OutputFormat.Table)
            {
                console.Out.WriteLine($"model             {estimate.Model}");
                console.Out.WriteLine($"prompt tokens     {estimate.PromptTokens}");
                console.Out.WriteLine($"output tokens     {estimate.OutputTokens}");
                console.Out.WriteLine($"idealized (s)     {estimate.IdealizedSeconds:R}");
                console.Out.WriteLine($"denoised (s)      {(estimate.DenoisedSeconds is { } d ? d.ToString("R") : "-")}");
            }
            else
            {
                Serialized.Write(console.Out, format, estimate);
            }

            return 0;
        });
        return new Command("eval", "Evaluation tools") { runtime };
    }

    private static double Estimate(FileInfo file, string model, int prompt, int generated)
    {
        if (!file.Exists)
        {
            throw new FileNotFoundException($"profile file '{file.FullName}' does not exist");
        }

        var profiles = RuntimeProfiles.Load(file.FullName);
        var profile = profiles.Find(model) ?? throw new ArgumentException(
            $"model '{model}' is not in {file.Name}; it lists: {string.Join(", ", profiles.Models.Order(StringComparer.Ordinal))}", nameof(model));
        return profile.EstimateSeconds(prompt, generated);
    }
}
