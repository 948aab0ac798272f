using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Evaluation.Tests.Clients;

/// <summary>
/// An OpenAI-compatible server stand-in on 127.0.0.1 (HttpListener): each request is answered by the next scripted
/// reply (status, body, headers); request bodies and headers are recorded for the test to check.
/// </summary>
internal sealed class FakeOpenAiServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<Reply> _replies = new();
    private readonly Task _loop;

    private FakeOpenAiServer(HttpListener listener, Uri address)
    {
        _listener = listener;
        BaseUrl = address;
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public static FakeOpenAiServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeOpenAiServer(listener, new Uri($"http://127.0.0.1:{port}/v1"));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public void Enqueue(int status, string body, IReadOnlyDictionary<string, string>? headers = null, TimeSpan delay = default) =>
        _replies.Enqueue(new Reply(status, body, headers ?? new Dictionary<string, string>(), delay));

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue(new Received(context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"],
                JsonDocument.Parse(body).RootElement.Clone()));
            var reply = _replies.TryDequeue(out var next) ? next : new Reply(500, "{\"error\":\"no reply scripted\"}", new Dictionary<string, string>(), TimeSpan.Zero);
            if (reply.Delay > TimeSpan.Zero)
            {
                // A slow answer, served in the background so the next attempt is answered meanwhile.
                _ = Task.Delay(reply.Delay).ContinueWith(_ => Answer(context, reply), TaskScheduler.Default);
                continue;
            }

            await AnswerAsync(context, reply);
        }
    }

    private static void Answer(HttpListenerContext context, Reply reply)
    {
        try
        {
            AnswerAsync(context, reply).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client gave up on this attempt and closed the connection.
        }
    }

    private static async Task AnswerAsync(HttpListenerContext context, Reply reply)
    {
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        var bytes = Encoding.UTF8.GetBytes(reply.Body);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    internal sealed record Received(string Path, string? Authorization, JsonElement Body);

    private sealed record Reply(int Status, string Body, IReadOnlyDictionary<string, string> Headers, TimeSpan Delay);
}
