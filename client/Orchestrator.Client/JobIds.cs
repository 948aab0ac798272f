using System.Security.Cryptography;

namespace Orchestrator.Client;

/// <summary>Makes job ids: the job's name and a random suffix, like Kubernetes' generateName.</summary>
public static class JobIds
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>A new id for a job named <paramref name="name"/>.</summary>
    public static string New(string name) =>
        $"{name}-{new string(Enumerable.Range(0, 5).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray())}";
}
