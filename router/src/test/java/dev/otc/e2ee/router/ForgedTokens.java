package dev.otc.e2ee.router;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Client tokens that must be refused, built claim by claim. */
final class ForgedTokens {

    private ForgedTokens() {
    }

    static JWTClaimsSet.Builder valid(String appId, String sessionId) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder()
                .claim("application_id", appId)
                .claim("scope", "session.connect")
                .claim("session_id", sessionId)
                .claim("role", "publisher")
                .issueTime(new Date(now))
                .expirationTime(new Date(now + 60_000))
                .jwtID(UUID.randomUUID().toString());
    }

    static String sign(JWTClaimsSet claims, PrivateKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String expired(MediaRouter router, String sessionId) {
        long now = System.currentTimeMillis();
        return sign(valid(router.applicationId(), sessionId).issueTime(new Date(now - 120_000))
                .expirationTime(new Date(now - 60_000)).build(), router.applicationPrivateKey());
    }

    static String withClaim(MediaRouter router, String sessionId, String claim, Object value) {
        return sign(valid(router.applicationId(), sessionId).claim(claim, value).build(), router.applicationPrivateKey());
    }

    static String signedByAnotherKey(String appId, String sessionId) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return sign(valid(appId, sessionId).build(), g.generateKeyPair().getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
