using System.Reflection;
using Orchestrator.Benchmarks;

// Usage: dotnet run -c Release --project tests/Orchestrator.Benchmarks -- SUITE [SUITE ...] [--out DIR]
var suites = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmarkSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
    .ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

var outputDirectory = Path.Combine("artifacts", "bench");
var requested = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--out" && i + 1 < args.Length)
    {
        outputDirectory = args[++i];
    }
    else
    {
        requested.Add(args[i]);
    }
}

if (requested.Count == 0 || requested.Any(name => !suites.ContainsKey(name)))
{
    var unknown = requested.Where(name => !suites.ContainsKey(name)).ToList();
    if (unknown.Count > 0)
    {
        Console.Error.WriteLine($"unknown suite(s): {string.Join(", ", unknown)}");
    }

    Console.Error.WriteLine($"usage: Orchestrator.Benchmarks SUITE [SUITE ...] [--out DIR]; suites: {string.Join(", ", suites.Keys.Order())}");
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
foreach (var name in requested)
{
    var suite = suites[name];
    Console.WriteLine($"suite {suite.Name}");
    var report = new BenchmarkReport(suite.Name);
    await suite.RunAsync(report, cancellation.Token);
    var path = await report.WriteAsync(outputDirectory, cancellation.Token);
    Console.WriteLine($"wrote {path}");
}

return 0;
