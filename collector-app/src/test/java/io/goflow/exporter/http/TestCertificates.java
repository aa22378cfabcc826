package io.goflow.exporter.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates and keys made by the {@code openssl} command line, outside our code: a CA, a
 * server certificate for 127.0.0.1 and localhost, a client certificate from the CA (SAN
 * {@code prometheus.example}) and one from a second, untrusted CA; keys in the three PEM forms
 * Go reads (PKCS#1 for the server's RSA key, SEC1 for an EC key, PKCS#8), client identities also
 * as PKCS#12 for Java clients; and bcrypt hashes by {@code htpasswd}.
 */
public final class TestCertificates
{
    public static final String STORE_PASSWORD = "changeit";

    public final Path dir;

    private TestCertificates(final Path dir)
    {
        this.dir = dir;
    }

    /** Makes everything in {@code dir} (a few seconds: RSA key generation). */
    public static TestCertificates make(final Path dir) throws IOException, InterruptedException
    {
        final TestCertificates c = new TestCertificates(dir);
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n" +
            "extendedKeyUsage=serverAuth\n");
        Files.writeString(dir.resolve("client.ext"), "subjectAltName=DNS:prometheus.example\nextendedKeyUsage=clientAuth\n");
        for (final String ca : List.of("ca", "rogue-ca"))
        {
            c.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", ca + ".key", "-out", ca + ".crt", "-days", "2", "-subj", "/CN=" + ca);
        }
        c.openssl("genrsa", "-traditional", "-out", "server.key", "2048");
        c.sign("server", "ca", "server.ext");
        c.openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server-ec.key");
        c.sign("server-ec", "ca", "server.ext");
        c.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "server2.key");
        c.sign("server2", "ca", "server.ext");
        for (final String[] client : new String[][]{{"client", "ca"}, {"rogue-client", "rogue-ca"}})
        {
            c.openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", client[0] + ".key");
            c.sign(client[0], client[1], "client.ext");
            c.openssl("pkcs12", "-export", "-in", client[0] + ".crt", "-inkey", client[0] + ".key",
                "-out", client[0] + ".p12", "-passout", "pass:" + STORE_PASSWORD);
        }
        return c;
    }

    public Path file(final String name)
    {
        return dir.resolve(name);
    }

    /** @return a bcrypt hash of {@code password} at {@code cost}, from {@code htpasswd -nbBC}. */
    public static String htpasswd(final String user, final String password, final int cost)
        throws IOException, InterruptedException
    {
        final String out = run(null, "htpasswd", "-nbBC", Integer.toString(cost), user, password).strip();
        return out.substring(out.indexOf(':') + 1);
    }

    /**
     * @param clientIdentity a {@code .p12} made here, or null for no client certificate.
     * @return a client context trusting this CA, presenting {@code clientIdentity}.
     */
    public SSLContext clientContext(final String clientIdentity) throws IOException, GeneralSecurityException
    {
        final KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(file("ca.crt")))
        {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientIdentity != null)
        {
            final KeyStore id = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file(clientIdentity)))
            {
                id.load(in, STORE_PASSWORD.toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(id, STORE_PASSWORD.toCharArray());
        }
        final SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private void sign(final String name, final String ca, final String ext) throws IOException, InterruptedException
    {
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
            "-out", name + ".crt", "-days", "2", "-extfile", ext);
    }

    private void openssl(final String... args) throws IOException, InterruptedException
    {
        final List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        run(dir, cmd.toArray(new String[0]));
    }

    private static String run(final Path dir, final String... cmd) throws IOException, InterruptedException
    {
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null)
        {
            pb.directory(dir.toFile());
        }
        final Process p = pb.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
        {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
