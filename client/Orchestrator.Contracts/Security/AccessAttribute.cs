namespace Orchestrator.Contracts.Security;

/// <summary>
/// Who may call a grain interface method. Every method of every grain interface carries one (a test enumerates
/// them and fails for a method without it); the silo refuses any client call to a method that has none.
/// </summary>
/// <example><c>[Access(AccessScope.Role, Role.Operator, Audited = true)]</c> on a method that cordons a device.</example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AccessAttribute : Attribute
{
    /// <summary>A rule of <paramref name="scope"/>; <paramref name="role"/> is the least role it needs (for <see cref="AccessScope.Role"/>).</summary>
    public AccessAttribute(AccessScope scope, Role role = Role.User)
    {
        Scope = scope;
        Role = role;
    }

    /// <summary>Whose calls it accepts.</summary>
    public AccessScope Scope { get; }

    /// <summary>The least role a caller needs (with <see cref="AccessScope.Role"/>).</summary>
    public Role Role { get; }

    /// <summary>True when every accepted client call is written to the audit log (submit, cancel, cordon, fault drills).</summary>
    public bool Audited { get; init; }
}
