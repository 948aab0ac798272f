using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Security;
using Orchestrator.Silo.Transport;

namespace Orchestrator.Silo.Api;

/// <summary>
/// The HTTP/JSON API on its own port: jobs, logs, events (Server-Sent Events), cluster and queue, and the OpenAPI
/// document at <c>/openapi/v1.json</c>. Every grain call it makes carries the request's bearer token and is checked by
/// the silo's access filter exactly as a gateway client's call would be: the API grants nothing of its own.
/// </summary>
internal sealed partial class ApiHost(
    IGrainFactory grains, IServiceProvider services, IOptions<OrchestratorSiloOptions> silo, ILogger<ApiHost> logger) : IHostedService, IAsyncDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = silo.Value.Api;
        var format = services.GetService<JobSpecFormat>()
            ?? throw new InvalidOperationException("the HTTP API needs a job spec reader (JobSpecFormat): the host registers the SDK's loader");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var scheme = ApiTls.Configure(builder.WebHost, services.GetService<TransportIdentity>(), services.GetService<CertificateRevocations>());
        builder.WebHost.UseUrls($"{scheme}://{(options.Host.Contains(':') ? $"[{options.Host}]" : options.Host)}:{options.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Services.AddOpenApi();
        _app = builder.Build();
        _app.Use(OnBehalfOfCaller);
        _app.MapOpenApi();
        new ApiEndpoints(grains, format, options).Map(_app);
        await _app.StartAsync(cancellationToken);
        LogListening(scheme, options.Host, options.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    /// <summary>
    /// Puts the bearer token into the request context of the grain calls made for this request, marks them as made
    /// on its behalf (so they are checked, not trusted as the silo's own), and turns refusals into HTTP answers.
    /// </summary>
    private static async Task OnBehalfOfCaller(HttpContext context, RequestDelegate next)
    {
        RequestContext.Clear();
        RequestContext.Set(SecurityKeys.OnBehalf, "api");
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            RequestContext.Set(CredentialKeys.Token, authorization["Bearer ".Length..].Trim());
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && ApiErrors.StatusOf(e) is { } status)
        {
            await ApiErrors.WriteAsync(context, status, e);
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP API listening on {Scheme}://{Host}:{Port}")]
    private partial void LogListening(string scheme, string host, int port);
}
