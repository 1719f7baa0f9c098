package dev.otc.e2ee.router;

import java.time.Duration;
import java.util.Objects;

/**
 * The router's abuse limits, each with a default safe for a public router (router/README.md has the table: limit,
 * default, what a client sees when it hits it). Build with {@link #builder()}; pass to
 * {@link MediaRouter.Builder#limits(RouterLimits)}.
 *
 * @param preAuthMaxMessageBytes largest message (body, after the u32 length) accepted before CONNECT completed
 * @param handshakeTimeout       time from TCP accept to a completed CONNECT (HELLO and CONNECT together)
 * @param maxPreAuthConnections  media connections that have not completed CONNECT, router-wide
 * @param maxPreAuthConnectionsPerAddress the same, per remote IP address
 * @param maxSessions            live sessions of the application
 * @param sessionEmptyTimeout    a session without connections for this long is removed; zero: never
 * @param maxConnectionsPerSession connected clients of one session
 * @param maxStreamsPerConnection streams one connection publishes at once
 * @param maxStreamsPerSession   streams of one session at once
 * @param keyframeRequestInterval client KEYFRAME_REQUESTs of one subscriber for one stream are forwarded at most one per
 *                               interval on average; the excess is dropped and counted
 * @param keyframeRequestBurst   how many such requests may pass back to back before the interval applies
 * @param restRequestTimeout     a REST request (headers and body) must be complete this long after the connection
 *                               opened or the previous response was written
 * @param restTokenMaxAge        a REST token without {@code exp} is refused when its {@code iat} is older
 * @param restTokenMaxLifetime   a REST token whose {@code exp} lies further than this after its {@code iat} is refused
 * @param restJtiCacheSize       REST token ids remembered to refuse replays (bounded memory; oldest forgotten first)
 * @param clientTokenMaxLifetime a client token whose {@code exp} lies further than this after its {@code iat} is refused
 */
public record RouterLimits(int preAuthMaxMessageBytes, Duration handshakeTimeout, int maxPreAuthConnections,
                           int maxPreAuthConnectionsPerAddress, int maxSessions, Duration sessionEmptyTimeout,
                           int maxConnectionsPerSession, int maxStreamsPerConnection, int maxStreamsPerSession,
                           Duration keyframeRequestInterval, int keyframeRequestBurst, Duration restRequestTimeout,
                           Duration restTokenMaxAge,
                           Duration restTokenMaxLifetime, int restJtiCacheSize, Duration clientTokenMaxLifetime) {

    /** Large enough for HELLO and a CONNECT whose token carries 1000 characters of connection data. */
    public static final int DEFAULT_PRE_AUTH_MAX_MESSAGE_BYTES = 8 * 1024;

    public RouterLimits {
        range(preAuthMaxMessageBytes, 512, Wire.MAX_MESSAGE_LENGTH, "preAuthMaxMessageBytes");
        positive(handshakeTimeout, "handshakeTimeout");
        range(maxPreAuthConnections, 1, Integer.MAX_VALUE, "maxPreAuthConnections");
        range(maxPreAuthConnectionsPerAddress, 1, Integer.MAX_VALUE, "maxPreAuthConnectionsPerAddress");
        range(maxSessions, 1, Integer.MAX_VALUE, "maxSessions");
        if (Objects.requireNonNull(sessionEmptyTimeout, "sessionEmptyTimeout").isNegative()) {
            throw new IllegalArgumentException("sessionEmptyTimeout must be >= 0 (0: sessions never expire)");
        }
        range(maxConnectionsPerSession, 1, Integer.MAX_VALUE, "maxConnectionsPerSession");
        range(maxStreamsPerConnection, 1, Integer.MAX_VALUE, "maxStreamsPerConnection");
        range(maxStreamsPerSession, 1, Integer.MAX_VALUE, "maxStreamsPerSession");
        if (Objects.requireNonNull(keyframeRequestInterval, "keyframeRequestInterval").isNegative()) {
            throw new IllegalArgumentException("keyframeRequestInterval must be >= 0");
        }
        range(keyframeRequestBurst, 1, 1000, "keyframeRequestBurst");
        positive(restRequestTimeout, "restRequestTimeout");
        positive(restTokenMaxAge, "restTokenMaxAge");
        positive(restTokenMaxLifetime, "restTokenMaxLifetime");
        range(restJtiCacheSize, 1, Integer.MAX_VALUE, "restJtiCacheSize");
        positive(clientTokenMaxLifetime, "clientTokenMaxLifetime");
    }

    public static RouterLimits defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.preAuthMaxMessageBytes = preAuthMaxMessageBytes;
        b.handshakeTimeout = handshakeTimeout;
        b.maxPreAuthConnections = maxPreAuthConnections;
        b.maxPreAuthConnectionsPerAddress = maxPreAuthConnectionsPerAddress;
        b.maxSessions = maxSessions;
        b.sessionEmptyTimeout = sessionEmptyTimeout;
        b.maxConnectionsPerSession = maxConnectionsPerSession;
        b.maxStreamsPerConnection = maxStreamsPerConnection;
        b.maxStreamsPerSession = maxStreamsPerSession;
        b.keyframeRequestInterval = keyframeRequestInterval;
        b.keyframeRequestBurst = keyframeRequestBurst;
        b.restRequestTimeout = restRequestTimeout;
        b.restTokenMaxAge = restTokenMaxAge;
        b.restTokenMaxLifetime = restTokenMaxLifetime;
        b.restJtiCacheSize = restJtiCacheSize;
        b.clientTokenMaxLifetime = clientTokenMaxLifetime;
        return b;
    }

    private static void range(int v, int min, int max, String name) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", not " + v);
        }
    }

    private static void positive(Duration d, String name) {
        if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }

    /** Every setter takes the value as is; {@link #build()} validates. */
    public static final class Builder {
        private int preAuthMaxMessageBytes = DEFAULT_PRE_AUTH_MAX_MESSAGE_BYTES;
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private int maxPreAuthConnections = 1024;
        private int maxPreAuthConnectionsPerAddress = 128;
        private int maxSessions = 10_000;
        private Duration sessionEmptyTimeout = Duration.ofMinutes(10);
        private int maxConnectionsPerSession = 256;
        private int maxStreamsPerConnection = 8;
        private int maxStreamsPerSession = 256;
        private Duration keyframeRequestInterval = Duration.ofMillis(500);
        private int keyframeRequestBurst = 3;
        private Duration restRequestTimeout = Duration.ofSeconds(10);
        private Duration restTokenMaxAge = Duration.ofMinutes(5);
        private Duration restTokenMaxLifetime = Duration.ofHours(1);
        private int restJtiCacheSize = 100_000;
        private Duration clientTokenMaxLifetime = Duration.ofDays(30);

        private Builder() {
        }

        public Builder preAuthMaxMessageBytes(int v) { preAuthMaxMessageBytes = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder maxPreAuthConnections(int v) { maxPreAuthConnections = v; return this; }
        public Builder maxPreAuthConnectionsPerAddress(int v) { maxPreAuthConnectionsPerAddress = v; return this; }
        public Builder maxSessions(int v) { maxSessions = v; return this; }
        public Builder sessionEmptyTimeout(Duration v) { sessionEmptyTimeout = v; return this; }
        public Builder maxConnectionsPerSession(int v) { maxConnectionsPerSession = v; return this; }
        public Builder maxStreamsPerConnection(int v) { maxStreamsPerConnection = v; return this; }
        public Builder maxStreamsPerSession(int v) { maxStreamsPerSession = v; return this; }
        public Builder keyframeRequestInterval(Duration v) { keyframeRequestInterval = v; return this; }
        public Builder keyframeRequestBurst(int v) { keyframeRequestBurst = v; return this; }
        public Builder restRequestTimeout(Duration v) { restRequestTimeout = v; return this; }
        public Builder restTokenMaxAge(Duration v) { restTokenMaxAge = v; return this; }
        public Builder restTokenMaxLifetime(Duration v) { restTokenMaxLifetime = v; return this; }
        public Builder restJtiCacheSize(int v) { restJtiCacheSize = v; return this; }
        public Builder clientTokenMaxLifetime(Duration v) { clientTokenMaxLifetime = v; return this; }

        /** @throws IllegalArgumentException naming the first value out of range */
        public RouterLimits build() {
            return new RouterLimits(preAuthMaxMessageBytes, handshakeTimeout, maxPreAuthConnections,
                    maxPreAuthConnectionsPerAddress, maxSessions, sessionEmptyTimeout, maxConnectionsPerSession,
                    maxStreamsPerConnection, maxStreamsPerSession, keyframeRequestInterval, keyframeRequestBurst,
                    restRequestTimeout,
                    restTokenMaxAge, restTokenMaxLifetime, restJtiCacheSize, clientTokenMaxLifetime);
        }
    }
}
