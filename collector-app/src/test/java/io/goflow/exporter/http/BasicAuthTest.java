package io.goflow.exporter.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hashes made outside our code: Prometheus's guide (Python bcrypt, $2b$) and {@code htpasswd} ($2y$). */
class BasicAuthTest
{
    private static final String GUIDE_HASH = "$2b$12$hNf2lSsxfm0.i4a.1kVpSOVyBCfIB51VRjgBUyv6kdnyTlgWj81Ay";

    private static String basic(final String user, final String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAcceptThePasswordOfEachHashFormAndNothingElse() throws Exception
    {
        final String htpasswd = TestCertificates.htpasswd("bob", "pässwörd:with colon", 5);
        assertTrue(htpasswd.startsWith("$2y$05$"), htpasswd);
        final BasicAuth auth = new BasicAuth(Map.of("admin", GUIDE_HASH, "bob", htpasswd));
        assertTrue(auth.verify(basic("admin", "test")));
        assertTrue(auth.verify(basic("bob", "pässwörd:with colon")), "password after the first colon, UTF-8");
        assertFalse(auth.verify(basic("admin", "Test")));
        assertFalse(auth.verify(basic("bob", "test")), "another user's password");
        assertFalse(auth.verify(basic("carol", "test")), "unknown user");
        assertFalse(auth.verify(basic("admin", "x".repeat(100))), "over bcrypt's 72 bytes");
    }

    @Test
    void shouldRememberOutcomesSoOnlyNewCredentialsNeedBcrypt()
    {
        final BasicAuth auth = new BasicAuth(Map.of("admin", GUIDE_HASH));
        assertEquals(BasicAuth.UNKNOWN, auth.cached(basic("admin", "test")));
        assertTrue(auth.verify(basic("admin", "test")));
        assertEquals(BasicAuth.ALLOWED, auth.cached(basic("admin", "test")));
        assertFalse(auth.verify(basic("admin", "nope")));
        assertEquals(BasicAuth.DENIED, auth.cached(basic("admin", "nope")));
        for (int i = 0; i < BasicAuth.CACHE_ENTRIES; i++)
        {
            assertFalse(auth.verify(basic("admin", "guess-" + i)));
        }
        assertEquals(BasicAuth.UNKNOWN, auth.cached(basic("admin", "test")), "evicted by newer outcomes");
    }

    @Test
    void shouldDenyMalformedCredentialsWithoutBcrypt()
    {
        final BasicAuth auth = new BasicAuth(Map.of("admin", GUIDE_HASH));
        for (final String header : new String[]{null, "", "Bearer abc", "Basic !!!", "Basic " +
            Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8))})
        {
            assertEquals(BasicAuth.DENIED, auth.cached(header), String.valueOf(header));
        }
        assertEquals(BasicAuth.UNKNOWN, auth.cached("basic " +
            Base64.getEncoder().encodeToString("admin:test".getBytes(StandardCharsets.UTF_8))), "scheme is case-insensitive");
    }
}
