namespace Orchestrator.Silo.Api;

/// <summary>The HTTP/JSON API (section <c>Orchestrator:Api</c>, flags <c>orch up --api-port/--api-host</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>Port of the API; 0 (the default) turns it off.</summary>
    public int Port { get; set; }

    /// <summary>Address it binds: loopback unless set (0.0.0.0 for every interface; then put TLS in front of it).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Largest request body accepted (a job document).</summary>
    public long MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>How often the event stream looks for news.</summary>
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
