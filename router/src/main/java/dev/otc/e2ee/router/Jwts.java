package dev.otc.e2ee.router;

import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The two JWT kinds of the Vonage Video API: REST tokens (claims {@code application_id}, {@code iat}, {@code jti},
 * optional {@code exp}) and client tokens (as the Vonage SDK's {@code generateToken} makes them: scope
 * {@code session.connect}, {@code session_id}, {@code role}, {@code exp}, optional {@code connection_data}).
 * RS256 only: an {@code alg} of none or HS256 is refused before any signature check.
 */
final class Jwts {

    static final String SCOPE_CONNECT = "session.connect";
    /** Clock skew we accept for {@code iat} in the future; beyond it a token is refused as forged or mis-clocked. */
    static final Duration MAX_FUTURE_IAT = Duration.ofMinutes(5);
    static final Duration MAX_CLIENT_TTL = Duration.ofDays(30);
    static final int MAX_CONNECTION_DATA_CHARS = 1000;

    /** Claims only a client token carries: their presence on a REST call means a participant's token is misused. */
    private static final java.util.List<String> CLIENT_CLAIMS = java.util.List.of("scope", "session_id", "role");

    private final Clock clock;
    private final RouterLimits limits;
    private final JtiCache jtis;

    Jwts(Clock clock, RouterLimits limits, RouterStats stats) {
        this.clock = clock;
        this.limits = limits;
        this.jtis = new JtiCache(limits.restJtiCacheSize(), stats);
    }

    static String mintRestToken(String applicationId, PrivateKey key, Duration ttl) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("application_id", applicationId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        return sign(claims, key);
    }

    static String mintClientToken(String applicationId, PrivateKey key, String sessionId, Role role, Duration ttl,
                                  String connectionData) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_CLIENT_TTL) > 0) {
            throw new IllegalArgumentException("token time-to-live must be in (0, 30 days], not " + ttl);
        }
        if (connectionData != null && connectionData.length() > MAX_CONNECTION_DATA_CHARS) {
            throw new IllegalArgumentException("connection data cannot exceed " + MAX_CONNECTION_DATA_CHARS + " characters");
        }
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .claim("application_id", applicationId)
                .claim("scope", SCOPE_CONNECT)
                .claim("session_id", sessionId)
                .claim("role", role.claimValue())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
        if (connectionData != null) {
            claims.claim("connection_data", connectionData);
        }
        return sign(claims.build(), key);
    }

    private static String sign(JWTClaimsSet claims, PrivateKey key) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /**
     * Checks a REST bearer token; returns its claims. Beyond the signature: not a client token, a bounded lifetime
     * (without {@code exp}, a fresh {@code iat}), and a {@code jti} not used before.
     */
    JWTClaimsSet verifyRest(String token, Application app) throws TokenException {
        JWTClaimsSet claims = verifySignature(token, app.publicKey());
        checkApplication(claims, app);
        for (String c : CLIENT_CLAIMS) {
            if (claims.getClaim(c) != null) {
                throw new TokenException("a client token (it has a '" + c + "' claim) cannot call the REST API: "
                        + "sign a REST token with application_id, iat, exp and jti only");
            }
        }
        Instant now = clock.instant();
        checkTimes(claims, false, limits.restTokenMaxLifetime());
        Date iat = claims.getIssueTime();
        Date exp = claims.getExpirationTime();
        Instant keepUntil;
        if (exp == null) {
            if (iat == null) {
                throw new TokenException("a REST token without exp must carry iat");
            }
            if (iat.toInstant().isBefore(now.minus(limits.restTokenMaxAge()))) {
                throw new TokenException("REST token too old: it has no exp and its iat is more than "
                        + limits.restTokenMaxAge().toSeconds() + " s in the past");
            }
            keepUntil = iat.toInstant().plus(limits.restTokenMaxAge());
        } else {
            keepUntil = exp.toInstant();
        }
        String jti = stringClaim(claims, "jti");
        if (jti == null || jti.isEmpty()) {
            throw new TokenException("a REST token must carry a jti (unique token id)");
        }
        if (jti.length() > JtiCache.MAX_JTI_CHARS) {
            throw new TokenException("REST token jti longer than " + JtiCache.MAX_JTI_CHARS + " characters");
        }
        if (!jtis.firstUse(jti, keepUntil.toEpochMilli(), now.toEpochMilli())) {
            throw new TokenException("REST token already used (its jti was seen before): mint one per request");
        }
        return claims;
    }

    /** Checks a client token at CONNECT; does not look the session up (the caller does). */
    ClientGrant verifyClient(String token, Application app) throws TokenException {
        JWTClaimsSet claims = verifySignature(token, app.publicKey());
        checkApplication(claims, app);
        checkTimes(claims, true, limits.clientTokenMaxLifetime());
        Object scope = claims.getClaim("scope");
        if (!SCOPE_CONNECT.equals(scope)) {
            throw new TokenException("token scope is not " + SCOPE_CONNECT);
        }
        String sessionId = stringClaim(claims, "session_id");
        if (sessionId == null || sessionId.isEmpty()) {
            throw new TokenException("token has no session_id");
        }
        Role role;
        try {
            role = Role.fromClaim(stringClaim(claims, "role"));
        } catch (IllegalArgumentException e) {
            throw new TokenException("token role is not one of publisher, subscriber, moderator, publisheronly");
        }
        String data = stringClaim(claims, "connection_data");
        if (data != null && data.length() > MAX_CONNECTION_DATA_CHARS) {
            throw new TokenException("token connection_data exceeds " + MAX_CONNECTION_DATA_CHARS + " characters");
        }
        return new ClientGrant(sessionId, role, data == null ? "" : data);
    }

    private static JWTClaimsSet verifySignature(String token, RSAPublicKey key) throws TokenException {
        if (token == null || token.isEmpty()) {
            throw new TokenException("no token");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new TokenException("token is not a signed JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new TokenException("token algorithm must be RS256");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(key))) {
                throw new TokenException("token signature does not verify with the application's public key");
            }
            return jwt.getJWTClaimsSet();
        } catch (JOSEException | ParseException e) {
            throw new TokenException("token signature does not verify with the application's public key");
        }
    }

    private static void checkApplication(JWTClaimsSet claims, Application app) throws TokenException {
        String claimed = stringClaim(claims, "application_id");
        if (!app.id().equals(claimed)) {
            throw new TokenException("token application_id does not match this router's application");
        }
    }

    /** {@code maxLifetime}: the longest exp - iat (exp - now without iat) accepted. */
    private void checkTimes(JWTClaimsSet claims, boolean expRequired, Duration maxLifetime) throws TokenException {
        Instant now = clock.instant();
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(MAX_FUTURE_IAT))) {
            throw new TokenException("token issued in the future (iat more than "
                    + MAX_FUTURE_IAT.toMinutes() + " minutes ahead)");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            if (expRequired) {
                throw new TokenException("token has no expiry");
            }
        } else if (!exp.toInstant().isAfter(now)) {
            throw new TokenException("token expired");
        } else {
            Instant from = iat != null ? iat.toInstant() : now;
            if (Duration.between(from, exp.toInstant()).compareTo(maxLifetime) > 0) {
                throw new TokenException("token lifetime (exp - iat) exceeds the router's limit of "
                        + maxLifetime.toSeconds() + " s");
            }
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(MAX_FUTURE_IAT))) {
            throw new TokenException("token not valid yet (nbf)");
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) throws TokenException {
        Object v = claims.getClaim(name);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        throw new TokenException("token claim " + name + " is not a string");
    }
}
