using System.CommandLine;
using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Security;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orch token create</c>: adds a token to an auth file and prints it once (the file keeps only its hash);
/// <c>orch token revoke</c>: removes tokens from it.
/// </summary>
internal static class TokenCommand
{
    public static Command Create(CliConsole console)
    {
        var user = new Option<string>("--user") { Description = "Who holds the token", Required = true };
        var role = new Option<string>("--role") { Description = "user, operator or admin", Required = true };
        var queues = new Option<string[]>("--queue") { Description = "A queue a user may submit to (repeatable; none: every queue)", AllowMultipleArgumentsPerToken = false };
        var file = new Option<string>("--file") { Description = "The auth file (created when missing); the daemon reads it with 'orch up --auth FILE'", Required = true };
        var create = new Command("create", "Create a token, add its hash to the auth file, and print the token (shown this once)") { user, role, queues, file };
        create.SetAction(parse =>
        {
            var name = parse.GetValue(user)!;
            if (string.IsNullOrWhiteSpace(name) || name.Length > 128 || name.Any(char.IsControl))
                throw new ArgumentException("--user must be 1-128 printable characters");
            if (!Enum.TryParse<Role>(parse.GetValue(role), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(parse.GetValue(role), out _))
                throw new ArgumentException($"--role must be user, operator or admin, got '{parse.GetValue(role)}'");
            var token = AuthFile.AddToken(parse.GetValue(file)!, name, parsed, parse.GetValue(queues) ?? [], DateTimeOffset.UtcNow);
            console.Out.WriteLine(token);
            console.Error.WriteLine($"token for {name} ({parsed.ToString().ToLowerInvariant()}) added to {parse.GetValue(file)}; it is shown only now");
            return 0;
        });
        return new Command("token", "Manage API tokens") { create, Revoke(console) };
    }

    private static Command Revoke(CliConsole console)
    {
        var user = new Option<string?>("--user") { Description = "Revoke every token of this user" };
        var id = new Option<string?>("--id") { Description = "Revoke the one token with this id (audit lines name it)" };
        var file = new Option<string>("--file") { Description = "The auth file; a running daemon reading it refuses the tokens within Orchestrator:Security:AuthReloadInterval", Required = true };
        var revoke = new Command("revoke", "Remove tokens from the auth file (by user or by id); running daemons refuse them after their next reload") { user, id, file };
        revoke.SetAction(parse =>
        {
            var revoked = AuthFile.Revoke(parse.GetValue(file)!, parse.GetValue(user), parse.GetValue(id));
            foreach (var entry in revoked) console.Out.WriteLine($"{entry.Id}\t{entry.User}\t{entry.Role.ToString().ToLowerInvariant()}");
            console.Error.WriteLine($"revoked {revoked.Count} token(s) in {parse.GetValue(file)}");
            return 0;
        });
        return revoke;
    }
}
