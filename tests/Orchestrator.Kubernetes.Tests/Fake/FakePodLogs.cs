using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Kubernetes.Tests.Fake;

/// <summary>Pod logs: what each container printed so far; <c>follow=true</c> streams new lines until the container ends.</summary>
internal sealed class FakePodLogs
{
    private readonly ConcurrentDictionary<string, PodLog> _logs = new(StringComparer.Ordinal);

    public void Open(string pod) => _logs[pod] = new PodLog();

    public void Append(string pod, string line)
    {
        var log = _logs[pod];
        lock (log)
        {
            log.Text.Append(line).Append('\n');
            log.Changed.TrySetResult();
            log.Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Close(string pod)
    {
        if (!_logs.TryGetValue(pod, out var log)) return;
        lock (log)
        {
            log.Closed = true;
            log.Changed.TrySetResult();
        }
    }

    public void CloseAll()
    {
        foreach (var pod in _logs.Keys) Close(pod);
    }

    public async Task ServeAsync(HttpContext context, string pod)
    {
        if (!_logs.TryGetValue(pod, out var log))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "text/plain";
        var follow = context.Request.Query["follow"] is { Count: > 0 } f && f[0] is "true" or "1";
        var sent = 0;
        while (true)
        {
            string text;
            bool closed;
            Task changed;
            lock (log)
            {
                text = log.Text.ToString(sent, log.Text.Length - sent);
                sent = log.Text.Length;
                closed = log.Closed;
                changed = log.Changed.Task;
            }

            await context.Response.WriteAsync(text, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            if (!follow || closed) return;
            await changed.WaitAsync(context.RequestAborted);
        }
    }

    private sealed class PodLog
    {
        public StringBuilder Text { get; } = new();

        public TaskCompletionSource Changed { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Closed { get; set; }
    }
}
