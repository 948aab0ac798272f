using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Tls.Tests;

/// <summary>
/// Who gets through the handshake: each end's check decides, a refused connection never reaches the application on
/// either end, and a peer that never completes a handshake is dropped after the timeout.
/// </summary>
public sealed class TlsHandshakeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_server_that_requires_a_certificate_admits_only_a_client_whose_certificate_its_check_accepts()
    {
        using var server = TestIdentity.Create("orchestrator.example");
        using var admitted = TestIdentity.Create("worker.example");
        using var stranger = TestIdentity.Create("stranger.example");
        var serverSettings = new TlsSettings { Certificate = server, AcceptsPeer = (peer, _, _) => peer.Thumbprint == admitted.Thumbprint };

        var accepted = await ConnectAsync(serverSettings, new TlsSettings { Certificate = admitted, AcceptsPeer = (_, _, _) => true });
        Assert.True(accepted.ServerRan);
        Assert.Equal(admitted.Thumbprint, accepted.PeerSeenByServer);

        var refused = await ConnectAsync(serverSettings, new TlsSettings { Certificate = stranger, AcceptsPeer = (_, _, _) => true });
        Assert.False(refused.ServerRan);
        Assert.False(refused.ClientGotAnswer);

        var anonymous = await ConnectAsync(serverSettings, new TlsSettings { AcceptsPeer = (_, _, _) => true });
        Assert.False(anonymous.ServerRan);
        Assert.False(anonymous.ClientGotAnswer);
    }

    [Fact]
    public async Task A_client_whose_check_refuses_the_server_never_runs()
    {
        using var server = TestIdentity.Create("orchestrator.example");
        var outcome = await ConnectAsync(new TlsSettings { Certificate = server, RequirePeerCertificate = false, AcceptsPeer = (_, _, _) => true },
            new TlsSettings { AcceptsPeer = (_, _, _) => false });

        // The server may count its handshake done before the client has judged it (TLS 1.3); it is then answered with
        // the client's refusal, not with anything of the client's.
        Assert.False(outcome.ClientRan);
    }

    [Fact]
    public async Task The_client_checks_the_server_certificate_against_the_name_it_expects_for_each_connection()
    {
        using var server = TestIdentity.Create("orchestrator.example");
        var serverSettings = new TlsSettings { Certificate = server, RequirePeerCertificate = false, AcceptsPeer = (_, _, _) => true };
        foreach (var (expected, mismatch) in new[] { ("orchestrator.example", false), ("other.example", true) })
        {
            SslPolicyErrors? seen = null;
            var outcome = await ConnectAsync(serverSettings, new TlsSettings
            {
                ServerName = _ => expected,
                AcceptsPeer = (_, _, errors) =>
                {
                    seen = errors;
                    return !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
                },
            });

            Assert.Equal(mismatch, seen!.Value.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch));
            Assert.Equal(!mismatch, outcome.ClientRan);
        }
    }

    [Fact]
    public async Task A_server_drops_a_peer_that_does_not_finish_its_handshake_within_the_timeout()
    {
        using var server = TestIdentity.Create("orchestrator.example");
        var ran = false;
        // The peer opens the connection and says nothing.
        await TlsLink.Build(s => s.UseTlsAsServer(new TlsSettings { Certificate = server, AcceptsPeer = (_, _, _) => true, HandshakeTimeout = TimeSpan.FromMilliseconds(300) }), _ =>
        {
            ran = true;
            return Task.CompletedTask;
        })(TlsLink.Connection("server", new Pipe(), new Pipe())).WaitAsync(Patience);

        Assert.False(ran);
    }

    private static async Task<Outcome> ConnectAsync(TlsSettings server, TlsSettings client)
    {
        var (up, down) = (new Pipe(), new Pipe());
        var outcome = new Outcome();
        var serving = TlsLink.Build(s => s.UseTlsAsServer(server with
        {
            AcceptsPeer = (peer, chain, errors) =>
            {
                outcome.PeerSeenByServer = peer.Thumbprint;
                return server.AcceptsPeer(peer, chain, errors);
            },
        }), async connection =>
        {
            outcome.ServerRan = true;
            await connection.Transport.Output.WriteAsync(new byte[] { 1 });
        })(TlsLink.Connection("server", up, down));
        var connecting = TlsLink.Build(c => c.UseTlsAsClient(client), async connection =>
        {
            outcome.ClientRan = true;
            var answer = await connection.Transport.Input.ReadAsync();
            outcome.ClientGotAnswer = !answer.Buffer.IsEmpty;
        })(TlsLink.Connection("client", down, up));

        // Each end returns when it is done or has refused; then its side of the link closes, as a socket would.
        await serving.WaitAsync(Patience);
        await down.Writer.CompleteAsync();
        try
        {
            await connecting.WaitAsync(Patience);
        }
        catch (IOException)
        {
            // Under TLS 1.3 a client finishes its handshake before the server judges its certificate: its read then
            // fails on the server's refusal.
        }

        await up.Writer.CompleteAsync();
        return outcome;
    }

    private sealed class Outcome
    {
        public bool ServerRan { get; set; }

        public bool ClientRan { get; set; }

        public bool ClientGotAnswer { get; set; }

        public string? PeerSeenByServer { get; set; }
    }
}
