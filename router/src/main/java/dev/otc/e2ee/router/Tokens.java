package dev.otc.e2ee.router;

import java.security.PrivateKey;
import java.time.Duration;

/** Mints the JWTs the router accepts, from an application's private key (what the Vonage SDK does for you). */
public final class Tokens {

    private Tokens() {
    }

    /** A REST bearer token: {@code application_id}, {@code iat}, {@code jti}, {@code exp} = now + ttl. */
    public static String restToken(String applicationId, PrivateKey key, Duration ttl) {
        return Jwts.mintRestToken(applicationId, key, ttl);
    }

    /** A client token, the shape of the Vonage SDK's {@code generateToken}. */
    public static String clientToken(String applicationId, PrivateKey key, String sessionId, Role role, Duration ttl,
                                     String connectionData) {
        return Jwts.mintClientToken(applicationId, key, sessionId, role, ttl, connectionData);
    }
}
