package io.goflow.exporter.http;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP basic authentication (RFC 7617) against bcrypt hashes, the toolkit's
 * {@code basic_auth_users}. A bcrypt check takes tens of milliseconds by design, so outcomes are
 * remembered: {@link #cached} answers on the selector thread from a digest of (user, hash,
 * password) without bcrypt, and only a pair not seen before goes to {@link #verify} on a scrape
 * thread. The cache holds {@link #CACHE_ENTRIES} outcomes (about 10 KiB), least recently used
 * evicted. A user name not configured is checked against a fixed hash all the same, so the time
 * taken does not tell which names exist.
 *
 * <p>Thread-safe; immutable but for the synchronised cache.
 */
final class BasicAuth
{
    /** {@link #cached} result: no remembered outcome, {@link #verify} decides. */
    static final int UNKNOWN = 0;
    static final int ALLOWED = 1;
    static final int DENIED = 2;

    static final int CACHE_ENTRIES = 128;

    private final Map<String, String> users;
    private final Map<String, Boolean> outcomes = new LinkedHashMap<>(CACHE_ENTRIES * 2, 0.75f, true)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Boolean> eldest)
        {
            return size() > CACHE_ENTRIES;
        }
    };

    /** @param users user name to bcrypt hash, as {@link WebConfig#load} checked them. */
    BasicAuth(final Map<String, String> users)
    {
        this.users = Map.copyOf(users);
    }

    boolean enabled()
    {
        return !users.isEmpty();
    }

    int users()
    {
        return users.size();
    }

    /**
     * @param authorization the request's {@code Authorization} value, null if none.
     * @return {@link #ALLOWED} or {@link #DENIED} when known without bcrypt, else {@link #UNKNOWN}.
     */
    int cached(final String authorization)
    {
        final String[] credentials = credentials(authorization);
        if (credentials == null)
        {
            return DENIED;
        }
        final Boolean outcome;
        synchronized (outcomes)
        {
            outcome = outcomes.get(key(credentials));
        }
        return outcome == null ? UNKNOWN : outcome ? ALLOWED : DENIED;
    }

    /** @return whether {@code authorization} names a configured user with the right password (runs bcrypt). */
    boolean verify(final String authorization)
    {
        final String[] credentials = credentials(authorization);
        if (credentials == null)
        {
            return false;
        }
        final String hash = users.get(credentials[0]);
        boolean ok;
        try
        {
            ok = OpenBSDBCrypt.checkPassword(hash == null ? UnknownUser.HASH : hash, credentials[1].toCharArray()) &&
                hash != null;
        }
        catch (final IllegalArgumentException ex)
        {
            ok = false; // a password over bcrypt's 72 bytes
        }
        synchronized (outcomes)
        {
            outcomes.put(key(credentials), ok);
        }
        return ok;
    }

    /** @return {user, password} of a well-formed {@code Basic} credential, else null. */
    private static String[] credentials(final String authorization)
    {
        if (authorization == null || authorization.length() < 6 ||
            !authorization.regionMatches(true, 0, "Basic ", 0, 6))
        {
            return null;
        }
        final String decoded;
        try
        {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
        final int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    /** A SHA-256 of user, its hash and the password: the cache never holds a password. */
    private String key(final String[] credentials)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(credentials[0].getBytes(StandardCharsets.UTF_8));
            sha.update((byte)0);
            sha.update(users.getOrDefault(credentials[0], "").getBytes(StandardCharsets.US_ASCII));
            sha.update((byte)0);
            sha.update(credentials[1].getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sha.digest());
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is in every JDK", ex);
        }
    }

    /** For unknown users: the bcrypt of random bytes at cost 10, so such checks cost as much as real ones. */
    private static final class UnknownUser
    {
        static final String HASH;

        static
        {
            final java.security.SecureRandom random = new java.security.SecureRandom();
            final byte[] salt = new byte[16];
            random.nextBytes(salt);
            HASH = OpenBSDBCrypt.generate("2y", java.util.UUID.randomUUID().toString().toCharArray(), salt, 10);
        }
    }
}
