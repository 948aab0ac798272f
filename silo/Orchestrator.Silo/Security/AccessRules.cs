using System.Collections.Concurrent;
using System.Reflection;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>The <see cref="AccessAttribute"/> of each grain interface method, read once per method, and where its attempt number is.</summary>
internal sealed class AccessRules
{
    private readonly ConcurrentDictionary<MethodInfo, AccessRule?> _rules = new();

    /// <summary>The method's rule, or null when it has none (then no client may call it).</summary>
    public AccessRule? For(MethodInfo method) => _rules.GetOrAdd(method, Read);

    /// <summary>Every grain interface method in <paramref name="assemblies"/> (public and internal ones).</summary>
    public static IEnumerable<MethodInfo> GrainMethods(IEnumerable<Assembly> assemblies) =>
        assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t) && t != typeof(IAddressable))
            .SelectMany(t => t.GetMethods());

    private static AccessRule? Read(MethodInfo method)
    {
        if (method.GetCustomAttribute<AccessAttribute>() is not { } attribute) return null;
        var parameters = method.GetParameters();
        var attemptArgument = Array.FindIndex(parameters, p => p.Name == "attempt" && p.ParameterType == typeof(int));
        PropertyInfo? attemptProperty = null;
        if (attemptArgument < 0)
        {
            // A report that names its attempt inside (a pipeline stage's StageReport).
            attemptArgument = Array.FindIndex(parameters, p => p.ParameterType.GetProperty("Attempt")?.PropertyType == typeof(int));
            if (attemptArgument >= 0) attemptProperty = parameters[attemptArgument].ParameterType.GetProperty("Attempt");
        }

        return new AccessRule(attribute, $"{method.DeclaringType!.Name}.{method.Name}", attemptArgument, attemptProperty);
    }
}
