using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Cli;

/// <summary>Where commands write, and how failures are shown: one clear message, the stack only when verbose.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public int Fail(Exception exception, bool verbose)
    {
        var inner = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        Error.WriteLine(inner switch
        {
            JobSpecException spec => $"error: {spec.Message}",
            JobNotFoundException notFound => $"error: {notFound.Message}",
            AccessDeniedException denied => $"error: {(denied.Authenticated ? "refused" : "not authenticated")}: {denied.Message}",
            Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException =>
                $"error: cannot reach the control plane ({inner.Message}); is a daemon running (orch up) and --gateway right?",
            ArgumentException argument when argument.ParamName is { } name => $"error: {argument.Message.Replace($" (Parameter '{name}')", "")}",
            _ => $"error: {inner.Message}",
        });
        if (verbose) Error.WriteLine(inner);
        return 1;
    }
}
