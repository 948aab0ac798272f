namespace Orchestrator.Silo.Tests.Security;

/// <summary>The security tests share one daemon: starting one costs seconds.</summary>
[CollectionDefinition(Name)]
public sealed class SecureDaemonCollection : ICollectionFixture<SecureDaemonFixture>
{
    public const string Name = "secure daemon";
}
