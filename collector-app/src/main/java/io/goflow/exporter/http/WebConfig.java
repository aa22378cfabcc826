package io.goflow.exporter.http;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A web configuration file in the Prometheus exporter toolkit's format ({@code web-config.yml},
 * as node_exporter's {@code --web.config.file} reads it):
 * <pre>
 * tls_server_config:            # absent: plain HTTP
 *   cert_file: server.crt       # PEM certificate chain, server first
 *   key_file: server.key        # PEM key: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), not encrypted
 *   client_auth_type: RequireAndVerifyClientCert   # default NoClientCert
 *   client_ca_file: ca.crt      # PEM CAs that client certificates must chain to
 *   client_allowed_sans: [prometheus.example.net]  # client certificate must carry one of these SANs
 *   min_version: TLS12          # TLS10..TLS13, default TLS12
 *   max_version: TLS13          # default TLS13
 *   cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]  # TLS 1.2 and older only
 *   prefer_server_cipher_suites: true
 * http_server_config:
 *   http2: false                # accepted; the endpoint speaks HTTP/1.1 only
 *   headers: {Strict-Transport-Security: max-age=31536000}
 * basic_auth_users:             # absent or empty: no authentication
 *   prometheus: $2y$10$...      # bcrypt hash (htpasswd -nBC 10, or Python/Go bcrypt)
 * </pre>
 * Relative paths are relative to the file's directory. Unknown keys are errors, as in the
 * toolkit. {@code curve_preferences} is refused: Java 17 has no per-connection setting for it.
 *
 * @param tls     null for plain HTTP.
 * @param users   user name to bcrypt hash; empty: no authentication.
 * @param headers response headers added to every answer, in file order.
 */
public record WebConfig(Tls tls, Map<String, String> users, Map<String, String> headers)
{
    /** No TLS, no authentication, no headers: what the endpoint does without a web config file. */
    public static final WebConfig NONE = new WebConfig(null, Map.of(), Map.of());

    /** Go's {@code tls.ClientAuthType} names, the toolkit's {@code client_auth_type} values. */
    public enum ClientAuth
    {
        NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert;

        /** @return whether a certificate the client sends is verified against {@code client_ca_file}. */
        public boolean verifies()
        {
            return this == VerifyClientCertIfGiven || this == RequireAndVerifyClientCert;
        }
    }

    /**
     * @param minVersion JSSE protocol name ({@code TLSv1.2}).
     * @param cipherSuites empty: the JDK's defaults.
     */
    public record Tls(
        Path certFile,
        Path keyFile,
        ClientAuth clientAuth,
        Path clientCaFile,
        List<String> clientAllowedSans,
        String minVersion,
        String maxVersion,
        List<String> cipherSuites,
        boolean preferServerCipherSuites)
    {
        /** @return every file this configuration reads. */
        public List<Path> files()
        {
            final List<Path> files = new ArrayList<>(List.of(certFile, keyFile));
            if (clientCaFile != null)
            {
                files.add(clientCaFile);
            }
            return files;
        }
    }

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    /** Each step doubles the work of one check; 16 is about 4 s in Java. */
    static final int BCRYPT_COST_MAX = 16;
    private static final List<String> TLS_VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    private static final Set<String> HEADERS = Set.of("Strict-Transport-Security", "X-Content-Type-Options",
        "X-Frame-Options", "X-XSS-Protection", "Content-Security-Policy");

    /**
     * Reads and checks {@code file} (not the certificate and key files it names: {@link ServerTls#load}).
     *
     * @throws IOException naming the file and, for a bad value, its key.
     */
    public static WebConfig load(final Path file) throws IOException
    {
        final Object root;
        try
        {
            requireReadable(file);
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        }
        catch (final YAMLException ex)
        {
            throw new IOException("web config " + file + ": not YAML: " + ex.getMessage().lines().findFirst().orElse(""), ex);
        }
        final Parser p = new Parser(file);
        if (root == null)
        {
            return NONE;
        }
        final Map<String, Object> top = p.map(root, "", Set.of("tls_server_config", "http_server_config", "basic_auth_users"));
        final Path dir = file.toAbsolutePath().getParent();
        final Tls tls = top.get("tls_server_config") == null ? null : p.tls(top.get("tls_server_config"), dir);
        final Map<String, String> headers = new LinkedHashMap<>();
        if (top.get("http_server_config") != null)
        {
            final Map<String, Object> http = p.map(top.get("http_server_config"), "http_server_config",
                Set.of("http2", "headers"));
            if (http.get("http2") != null && !(http.get("http2") instanceof Boolean))
            {
                throw p.error("http_server_config.http2", "not true or false");
            }
            if (http.get("headers") != null)
            {
                final Map<String, Object> h = p.map(http.get("headers"), "http_server_config.headers", HEADERS);
                for (final Map.Entry<String, Object> e : h.entrySet())
                {
                    final String value = p.string(e.getValue(), "http_server_config.headers." + e.getKey());
                    if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f))
                    {
                        throw p.error("http_server_config.headers." + e.getKey(), "control character in the value");
                    }
                    headers.put(e.getKey(), value);
                }
            }
        }
        final Map<String, String> users = new LinkedHashMap<>();
        if (top.get("basic_auth_users") != null)
        {
            final Map<String, Object> u = p.map(top.get("basic_auth_users"), "basic_auth_users", null);
            for (final Map.Entry<String, Object> e : u.entrySet())
            {
                final String key = "basic_auth_users." + e.getKey();
                if (e.getKey().isEmpty() || e.getKey().indexOf(':') >= 0)
                {
                    throw p.error(key, "a user name must be non-empty and without ':' (RFC 7617)");
                }
                final String hash = p.string(e.getValue(), key);
                final var m = BCRYPT.matcher(hash);
                if (!m.matches())
                {
                    throw p.error(key, "not a bcrypt hash ($2a$, $2b$ or $2y$, cost, 53 characters)");
                }
                final int cost = Integer.parseInt(m.group(1));
                if (cost < 4 || cost > BCRYPT_COST_MAX)
                {
                    throw p.error(key, "bcrypt cost " + cost + " outside 4.." + BCRYPT_COST_MAX +
                        " (every check of a new password costs 2^cost rounds; 10 to 12 is usual)");
                }
                users.put(e.getKey(), hash);
            }
        }
        return new WebConfig(tls, Map.copyOf(users), headers);
    }

    /** @throws IOException "FILE: file not readable" when it is missing, a directory or not readable. */
    static void requireReadable(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
        {
            throw new IOException(file + ": file not readable");
        }
    }

    /** Reads YAML values with errors that name the file and the key. */
    private record Parser(Path file)
    {
        IOException error(final String key, final String problem)
        {
            return new IOException("web config " + file + ": " + key + ": " + problem);
        }

        /** @param allowed null: any key. */
        @SuppressWarnings("unchecked")
        Map<String, Object> map(final Object node, final String key, final Set<String> allowed) throws IOException
        {
            if (!(node instanceof Map))
            {
                throw error(key.isEmpty() ? "(top level)" : key, "not a mapping");
            }
            final Map<String, Object> m = new LinkedHashMap<>();
            for (final Map.Entry<Object, Object> e : ((Map<Object, Object>)node).entrySet())
            {
                final String name = String.valueOf(e.getKey());
                if (allowed != null && !allowed.contains(name))
                {
                    throw error((key.isEmpty() ? "" : key + ".") + name, "unknown key" +
                        (allowed.isEmpty() ? "" : " (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")"));
                }
                m.put(name, e.getValue());
            }
            return m;
        }

        String string(final Object node, final String key) throws IOException
        {
            if (!(node instanceof String s))
            {
                throw error(key, "not a string");
            }
            return s;
        }

        List<String> strings(final Object node, final String key) throws IOException
        {
            if (node == null)
            {
                return List.of();
            }
            if (!(node instanceof List<?> list))
            {
                throw error(key, "not a list");
            }
            final List<String> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++)
            {
                out.add(string(list.get(i), key + "[" + i + "]"));
            }
            return List.copyOf(out);
        }

        Tls tls(final Object node, final Path dir) throws IOException
        {
            final String k = "tls_server_config";
            final Map<String, Object> t = map(node, k, Set.of("cert_file", "key_file", "client_auth_type",
                "client_ca_file", "client_allowed_sans", "min_version", "max_version", "cipher_suites",
                "prefer_server_cipher_suites", "curve_preferences"));
            if (t.get("curve_preferences") != null)
            {
                throw error(k + ".curve_preferences", "not supported on Java 17; set the groups for the whole " +
                    "process with -Djdk.tls.namedGroups=x25519,secp256r1 in JAVA_OPTS");
            }
            if (t.get("cert_file") == null || t.get("key_file") == null)
            {
                throw error(k, "cert_file and key_file are both required");
            }
            final ClientAuth auth;
            try
            {
                auth = t.get("client_auth_type") == null ? ClientAuth.NoClientCert :
                    ClientAuth.valueOf(string(t.get("client_auth_type"), k + ".client_auth_type"));
            }
            catch (final IllegalArgumentException ex)
            {
                throw error(k + ".client_auth_type", "unknown value \"" + t.get("client_auth_type") + "\" (one of " +
                    String.join(", ", java.util.Arrays.stream(ClientAuth.values()).map(Enum::name).toList()) + ")");
            }
            final Path ca = t.get("client_ca_file") == null ? null :
                dir.resolve(string(t.get("client_ca_file"), k + ".client_ca_file"));
            if (ca != null && auth == ClientAuth.NoClientCert)
            {
                throw error(k + ".client_ca_file", "set without client_auth_type (RequireAndVerifyClientCert " +
                    "verifies client certificates against it)");
            }
            if (ca == null && auth.verifies())
            {
                throw error(k + ".client_auth_type", auth + " needs client_ca_file");
            }
            final String min = version(t.get("min_version"), k + ".min_version", "TLS12");
            final String max = version(t.get("max_version"), k + ".max_version", "TLS13");
            if (TLS_VERSIONS.indexOf(min) > TLS_VERSIONS.indexOf(max))
            {
                throw error(k + ".min_version", min + " is above max_version " + max);
            }
            final Object prefer = t.getOrDefault("prefer_server_cipher_suites", Boolean.TRUE);
            if (!(prefer instanceof Boolean))
            {
                throw error(k + ".prefer_server_cipher_suites", "not true or false");
            }
            return new Tls(dir.resolve(string(t.get("cert_file"), k + ".cert_file")),
                dir.resolve(string(t.get("key_file"), k + ".key_file")), auth, ca,
                strings(t.get("client_allowed_sans"), k + ".client_allowed_sans"),
                jsse(min), jsse(max), strings(t.get("cipher_suites"), k + ".cipher_suites"), (Boolean)prefer);
        }

        private String version(final Object node, final String key, final String dflt) throws IOException
        {
            final String v = node == null ? dflt : string(node, key).toUpperCase(Locale.ROOT);
            if (!TLS_VERSIONS.contains(v))
            {
                throw error(key, "unknown version \"" + node + "\" (one of " + String.join(", ", TLS_VERSIONS) + ")");
            }
            return v;
        }

        private static String jsse(final String goName)
        {
            return switch (goName)
            {
                case "TLS10" -> "TLSv1";
                case "TLS11" -> "TLSv1.1";
                case "TLS12" -> "TLSv1.2";
                default -> "TLSv1.3";
            };
        }
    }
}
