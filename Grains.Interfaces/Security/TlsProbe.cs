using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ProbeGrid.GrainsInterfaces.Security;

/// <summary>What a TLS handshake with a silo's port found.</summary>
public enum TlsProbeOutcome
{
    /// <summary>Nothing answers there: not a TLS matter.</summary>
    Unreachable,

    /// <summary>The port answers but does not speak TLS.</summary>
    NoTls,

    /// <summary>The port speaks TLS and would accept this side as configured.</summary>
    Accepted,

    /// <summary>The port speaks TLS, and this side has no certificate to offer.</summary>
    NeedsTls,

    /// <summary>The port's certificate is not one this side trusts (<see cref="TlsProbeResult.Detail"/> says why).</summary>
    PeerCertificateRefused,

    /// <summary>The port refused this side's certificate.</summary>
    OwnCertificateRefused,
}

/// <param name="Detail">why, for the refusals; the peer's certificate when one was seen.</param>
public sealed record TlsProbeResult(TlsProbeOutcome Outcome, string Detail);

/// <summary>
/// Opens one TLS connection to a silo or gateway port to find out why joining it failed, since Orleans
/// reports a failed handshake only as a closed connection. Used after a client's connection failed and
/// before a silo joins, so an operator reads "this gateway requires TLS" rather than "connection terminated".
/// </summary>
public static class TlsProbe
{
    /// <param name="certificate">this side's certificate, or null when this side runs without TLS.</param>
    /// <param name="trust">what this side trusts (required with a certificate).</param>
    /// <param name="gateway">true for a gateway port, which sends <see cref="GatewayIdentity"/>'s frame once it accepts a client.</param>
    public static async Task<TlsProbeResult> RunAsync(IPEndPoint endpoint, X509Certificate2? certificate, ClusterTrust? trust, bool gateway, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, cancel.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return new(TlsProbeOutcome.Unreachable, e.Message);
        }

        X509Certificate2? seen = null;
        string? peerRefusal = null;
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false,
            (_, peer, chain, _) =>
            {
                if (peer is null) return certificate is null;
                seen = X509CertificateLoader.LoadCertificate(peer.GetRawCertData()); // a copy: the handshake disposes its own
                if (certificate is null) return true; // only learning whether TLS is spoken
                peerRefusal = trust!.Refusal(seen, chain, PeerKind.Silo);
                return peerRefusal is null;
            });
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = endpoint.Address.ToString(),
            ClientCertificates = certificate is null ? null : [certificate],
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancel.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            if (peerRefusal is not null) return new(TlsProbeOutcome.PeerCertificateRefused, $"its certificate {CertificateFiles.Describe(seen!)} is refused: {peerRefusal}");
            if (seen is null) return new(TlsProbeOutcome.NoTls, e.Message);
            // TLS 1.2 ends the handshake with an alert when the peer refuses our certificate (or wants one we did not give).
            return certificate is null
                ? new(TlsProbeOutcome.NeedsTls, Seen(seen))
                : new(TlsProbeOutcome.OwnCertificateRefused, Reason(e));
        }
        if (certificate is null) return new(TlsProbeOutcome.NeedsTls, Seen(seen));

        // TLS 1.3: the server judges the client's certificate after the client has finished; a refusal arrives as an alert on the first read.
        try
        {
            if (gateway)
            {
                var reader = PipeReader.Create(tls);
                while (true)
                {
                    var read = await reader.ReadAsync(cancel.Token);
                    var buffer = read.Buffer;
                    if (GatewayIdentity.TryRead(ref buffer, out _)) return new(TlsProbeOutcome.Accepted, Seen(seen));
                    if (read.IsCompleted) return new(TlsProbeOutcome.OwnCertificateRefused, "the gateway closed the connection after the handshake");
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
            // A silo port waits for the caller's preamble: silence for a moment means it kept the connection.
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
            quiet.CancelAfter(TimeSpan.FromSeconds(1));
            var got = await tls.ReadAsync(new byte[1], quiet.Token);
            return got == 0 ? new(TlsProbeOutcome.OwnCertificateRefused, "the silo closed the connection after the handshake") : new(TlsProbeOutcome.Accepted, Seen(seen));
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return new(TlsProbeOutcome.Accepted, Seen(seen));
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            return new(TlsProbeOutcome.OwnCertificateRefused, Reason(e));
        }
        catch (InvalidDataException e)
        {
            return new(TlsProbeOutcome.NoTls, e.Message);
        }
    }

    private static string Seen(X509Certificate2? peer) => peer is null ? "" : $"its certificate is {CertificateFiles.Describe(peer)}";

    private static string Reason(Exception e)
    {
        var messages = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) messages.Add(x.Message);
        return string.Join(": ", messages.Distinct());
    }
}
