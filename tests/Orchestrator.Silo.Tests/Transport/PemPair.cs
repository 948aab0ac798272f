namespace Orchestrator.Silo.Tests.Transport;

/// <summary>A certificate file and its private key file.</summary>
internal sealed record PemPair(string Certificate, string Key);
