package dev.otc.e2ee.router;

import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import java.util.UUID;

/** The one application a router serves: its id (a UUID), the public key its JWTs verify with, its E2EE policy. */
record Application(String id, RSAPublicKey publicKey, E2eePolicy policy) {

    Application {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(policy, "policy");
        try {
            id = UUID.fromString(Objects.requireNonNull(id, "application id")).toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("application id must be a UUID, not '" + id + "'");
        }
    }

    @Override
    public String toString() {
        return "Application[" + id + ", policy=" + policy + "]";
    }
}
