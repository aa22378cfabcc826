package io.goflow.exporter.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebConfigTest
{
    /** The hash in Prometheus's basic-auth guide (Python bcrypt, password "test"). */
    private static final String GUIDE_HASH = "$2b$12$hNf2lSsxfm0.i4a.1kVpSOVyBCfIB51VRjgBUyv6kdnyTlgWj81Ay";

    @TempDir
    Path dir;

    private WebConfig load(final String text) throws IOException
    {
        final Path p = dir.resolve("web.yml");
        Files.writeString(p, text);
        return WebConfig.load(p);
    }

    private String error(final String text)
    {
        return assertThrows(IOException.class, () -> load(text)).getMessage();
    }

    @Test
    void shouldReadTheToolkitsKeysWithItsDefaultsAndPathsRelativeToTheFile() throws IOException
    {
        final WebConfig c = load("""
            tls_server_config:
              cert_file: certs/server.crt
              key_file: /etc/keys/server.key
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: ca.crt
              client_allowed_sans: [prometheus.example]
              cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
            http_server_config:
              http2: false
              headers:
                Strict-Transport-Security: max-age=31536000
            basic_auth_users:
              alice: %s
            """.formatted(GUIDE_HASH));
        assertEquals(dir.resolve("certs/server.crt"), c.tls().certFile());
        assertEquals(Path.of("/etc/keys/server.key"), c.tls().keyFile());
        assertEquals(dir.resolve("ca.crt"), c.tls().clientCaFile());
        assertEquals(WebConfig.ClientAuth.RequireAndVerifyClientCert, c.tls().clientAuth());
        assertEquals(List.of("prometheus.example"), c.tls().clientAllowedSans());
        assertEquals("TLSv1.2", c.tls().minVersion());
        assertEquals("TLSv1.3", c.tls().maxVersion());
        assertTrue(c.tls().preferServerCipherSuites());
        assertEquals(Map.of("Strict-Transport-Security", "max-age=31536000"), c.headers());
        assertEquals(Map.of("alice", GUIDE_HASH), c.users());
    }

    @Test
    void shouldMeanPlainHttpWithoutAuthForAnEmptyFileOrOnlyUsers() throws IOException
    {
        assertEquals(WebConfig.NONE, load(""));
        final WebConfig users = load("basic_auth_users:\n  bob: " + GUIDE_HASH + "\n");
        assertNull(users.tls());
        assertEquals(1, users.users().size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tls_server_confg: {}|tls_server_confg: unknown key",
        "tls_server_config: {cert_file: a.crt}|cert_file and key_file are both required",
        "tls_server_config: {cert_file: a, key_file: b, client_auth_type: Require}|unknown value \"Require\"",
        "tls_server_config: {cert_file: a, key_file: b, client_ca_file: ca}|client_ca_file: set without client_auth_type",
        "tls_server_config: {cert_file: a, key_file: b, client_auth_type: VerifyClientCertIfGiven}|needs client_ca_file",
        "tls_server_config: {cert_file: a, key_file: b, min_version: TLS13, max_version: TLS12}|above max_version",
        "tls_server_config: {cert_file: a, key_file: b, min_version: SSL3}|unknown version",
        "tls_server_config: {cert_file: a, key_file: b, curve_preferences: [X25519]}|-Djdk.tls.namedGroups",
        "http_server_config: {headers: {X-Custom: 1}}|http_server_config.headers.X-Custom: unknown key",
        "basic_auth_users: {alice: secret}|basic_auth_users.alice: not a bcrypt hash",
        "basic_auth_users: {alice: $2y$31$hNf2lSsxfm0.i4a.1kVpSOVyBCfIB51VRjgBUyv6kdnyTlgWj81Ay}|bcrypt cost 31 outside 4..16",
        "basic_auth_users: {'a:b': $2b$12$hNf2lSsxfm0.i4a.1kVpSOVyBCfIB51VRjgBUyv6kdnyTlgWj81Ay}|without ':'",
        "[1, 2]|(top level): not a mapping",
        "tls_server_config: [x|not YAML",
    })
    void shouldRefuseWhatTheToolkitRefusesNamingTheKey(final String text, final String expected)
    {
        final String message = error(text);
        assertTrue(message.contains(expected), message);
        assertTrue(message.startsWith("web config " + dir.resolve("web.yml")), message);
    }

    /** {@code conf/web-config.example.yml} loads as documented in its comments. */
    @Test
    void shouldLoadTheShippedExample() throws IOException
    {
        final Path example = Path.of(System.getProperty("user.dir")).resolve("../conf/web-config.example.yml").normalize();
        final WebConfig c = WebConfig.load(example);
        assertEquals(example.resolveSibling("server.crt"), c.tls().certFile());
        assertEquals(WebConfig.ClientAuth.RequireAndVerifyClientCert, c.tls().clientAuth());
        assertEquals(Map.of("Strict-Transport-Security", "max-age=31536000"), c.headers());
        assertTrue(new BasicAuth(c.users()).verify("Basic " + java.util.Base64.getEncoder()
            .encodeToString("prometheus:test".getBytes(java.nio.charset.StandardCharsets.UTF_8))), "the hash of \"test\"");
    }

    @Test
    void shouldNameAMissingFile()
    {
        final IOException ex = assertThrows(IOException.class, () -> WebConfig.load(dir.resolve("absent.yml")));
        assertTrue(ex.getMessage().contains("absent.yml"), ex.getMessage());
    }
}
