using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Silo.Execution;

namespace Orchestrator.Silo.Security;

/// <summary>Adds authentication, the access filter and the submission policy to a silo.</summary>
internal static class SecurityHosting
{
    public static ISiloBuilder AddOrchestratorSecurity(this ISiloBuilder silo, SecurityOptions options)
    {
        if (options.AuthReloadInterval <= TimeSpan.Zero)
            throw new ArgumentException($"Orchestrator:Security:AuthReloadInterval must be positive, got {options.AuthReloadInterval}");
        if (options.VerifiedCredentialCacheSize < 0)
            throw new ArgumentException($"Orchestrator:Security:VerifiedCredentialCacheSize must be 0 (no cache) or more, got {options.VerifiedCredentialCacheSize}");
        if (options.Oidc.Issuer is not null && options.AuthFile is null && options.Document is null)
            throw new ArgumentException("Orchestrator:Security:Oidc needs Orchestrator:Security:AuthFile (--auth) too: it holds the cluster key every silo shares");
        var services = silo.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<Authenticator>();
        services.AddSingleton<AccessRules>();
        services.AddSingleton<SubmissionPolicy>();
        services.AddSingleton<SecurityMetrics>();
        services.AddSingleton<AuditLog>();
        silo.AddIncomingGrainCallFilter<AccessFilter>();
        silo.AddOutgoingGrainCallFilter<InternalCallMarker>();
        if (options.AuthFile is not null && options.Document is null) services.AddHostedService<AuthFileWatcher>();
        if (options.Oidc is { Issuer: not null, JwksFile: null }) services.AddHostedService<OidcKeyWarmUp>();
        CredentialWorkers(services, options);
        return silo;
    }

    /// <summary>
    /// Wraps the last registered execution backend so its workers get attempt secrets, when authentication is
    /// configured. Idempotent: the host calls it again after adding providers that register their own backend.
    /// </summary>
    public static void CredentialWorkers(IServiceCollection services, SecurityOptions options)
    {
        if (options.AuthFile is null && options.Document is null) return;
        var last = services.LastOrDefault(d => d.ServiceType == typeof(IExecutionBackend));
        if (last is null || last.ImplementationFactory?.Target is Decoration) return;
        services.Remove(last);
        services.AddSingleton<IExecutionBackend>(new Decoration(last).Create);
    }

    private sealed class Decoration(ServiceDescriptor inner)
    {
        public IExecutionBackend Create(IServiceProvider services)
        {
            var backend = inner.ImplementationInstance ?? inner.ImplementationFactory?.Invoke(services)
                ?? ActivatorUtilities.CreateInstance(services, inner.ImplementationType!);
            return new CredentialingBackend((IExecutionBackend)backend, services.GetRequiredService<Authenticator>());
        }
    }
}
