package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyStore;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The media port over TLS with the dev self-signed certificate. */
class TlsTest {

    @Test
    void clientTrustingTheCertificateConnectsOthersFail() throws Exception {
        try (MediaRouter router = MediaRouter.builder().tlsSelfSigned().start()) {
            assertThat(router.mediaUrl()).startsWith("tls://127.0.0.1:");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("router", router.tlsCertificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);

            String sid = router.createSession(true);
            try (TestClient c = TestClient.openTls(router.mediaUrl(), ctx.getSocketFactory())) {
                TestClient.Connected conn = c.handshake(router.generateClientToken(sid, Role.PUBLISHER,
                        Duration.ofMinutes(1), null));
                assertThat(conn.sessionId()).isEqualTo(sid);
                assertThat(c.publishAndWait(3, "cam", true)).isNotEmpty();
            }
            SSLContext untrusting = SSLContext.getInstance("TLS");
            untrusting.init(null, null, null);
            try (TestClient c = TestClient.openTls(router.mediaUrl(), untrusting.getSocketFactory())) {
                assertThatThrownBy(() -> c.sendHello(1, 1)).isInstanceOf(SSLHandshakeException.class);
            }
        }
    }
}
