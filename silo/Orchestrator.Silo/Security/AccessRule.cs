using System.Reflection;
using Orleans.Serialization.Invocation;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>A method's rule, its display name, and where its attempt number is (argument index, and property of it).</summary>
internal sealed record AccessRule(AccessAttribute Attribute, string Method, int AttemptArgument, PropertyInfo? AttemptProperty)
{
    public int? AttemptOf(IInvokable request)
    {
        if (AttemptArgument < 0) return null;
        var argument = request.GetArgument(AttemptArgument);
        return AttemptProperty is null || argument is null ? argument as int? : AttemptProperty.GetValue(argument) as int?;
    }
}
