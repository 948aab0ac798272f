using System.CommandLine;
using System.Globalization;
using Orchestrator.Cli.Output;
using Orchestrator.Contracts.Cluster;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orch cluster</c>: the topology tree (block, rack, node) with allocation and health; on Kubernetes the STATUS
/// column shows each node's readiness, cordon, taints, or why it was refused. <c>--cordon DEVICE</c> keeps new work off a
/// device; <c>--uncordon DEVICE</c> puts it back in service, also when faults made it suspect or failed.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create(CliConsole console)
    {
        var output = OutputOption.Create();
        var cordon = new Option<string?>("--cordon") { Description = "Keep new work off this device (NODE/INDEX); a job on it runs on" };
        var uncordon = new Option<string?>("--uncordon") { Description = "Put this device (NODE/INDEX) back in service, also when faults made it suspect or failed" };
        var command = new Command("cluster", "Show the topology tree with allocation and device health") { output, cordon, uncordon };
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await Connection.OpenAsync(parse, ct);
            if ((parse.GetValue(cordon), parse.GetValue(uncordon)) is var (toCordon, toUncordon) && (toCordon ?? toUncordon) is { } device)
            {
                if (toCordon is not null && toUncordon is not null) throw new ArgumentException("--cordon and --uncordon: give one of them, not both");
                var changed = await client.SetCordonAsync(device, toCordon is not null, ct);
                console.Out.WriteLine($"{changed.Id}: {changed.Health}");
                return 0;
            }

            var cluster = await client.GetClusterAsync(ct);
            if (parse.GetValue(output) is var format && format != OutputFormat.Table)
            {
                Serialized.Write(console.Out, format, cluster);
                return 0;
            }

            console.Out.WriteLine($"Cluster {cluster.Name} ({cluster.Source}): {cluster.Allocated}/{cluster.Total} devices allocated");
            console.Out.WriteLine("Links: " + string.Join(", ", cluster.Links.Select(l => $"{l.Level} {l.BandwidthGBps.ToString(CultureInfo.InvariantCulture)} GB/s {l.LatencyMicroseconds.ToString(CultureInfo.InvariantCulture)} us")));
            Tables.Write(console.Out, ["BLOCK", "RACK", "NODE", "STATUS", "NVLINK DOMAIN", "TYPE", "USED", "UNHEALTHY", "JOBS"], cluster.Nodes.Select(n => (IReadOnlyList<string>)
            [
                n.Node.Block, n.Node.Rack, n.Node.Name, n.Node.Status ?? (n.Node.Schedulable ? "Ready" : "NotSchedulable"), n.Node.NvlinkDomain, n.Node.GpuType,
                $"{n.Gpus.Count(g => g.JobId is not null)}/{n.Gpus.Count}",
                string.Join(" ", n.Gpus.Where(g => g.Health != GpuHealth.Healthy).Select(g => $"{g.Id}:{g.Health}")),
                string.Join(" ", n.Gpus.Where(g => g.JobId is not null).Select(g => g.JobId!).Distinct()),
            ]));
            return 0;
        });
        return command;
    }
}
