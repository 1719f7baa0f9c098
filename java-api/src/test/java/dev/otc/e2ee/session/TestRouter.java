package dev.otc.e2ee.session;

import dev.otc.e2ee.Session;
import dev.otc.e2ee.SessionListener;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Role;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real router, in-process on loopback ports, with helpers to create sessions and tokens.
 *
 * <p>Either started at once ({@code new TestRouter()}, closed by the test), or shared by one test
 * class: {@code @RegisterExtension static final TestRouter router = TestRouter.perClass();} starts
 * it before the class's first test and closes it after the last.
 */
final class TestRouter implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  MediaRouter router;

  TestRouter() {
    this.router = start();
  }

  private TestRouter(Void deferred) {}

  /** A router that JUnit starts before one test class and closes after it. */
  static TestRouter perClass() {
    return new TestRouter((Void) null);
  }

  private static MediaRouter start() {
    return MediaRouter.builder().ioThreads(2).start();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    router = start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** A routed session created through the REST API. */
  String createSession(boolean e2ee) {
    return router.createSession(e2ee);
  }

  String token(String sessionId, Role role, String data) {
    return router.generateClientToken(sessionId, role, Duration.ofHours(1), data);
  }

  String token(String sessionId) {
    return token(sessionId, Role.PUBLISHER, "");
  }

  Session.Builder session(String sessionId, SessionListener listener) {
    return Session.builder()
        .applicationId(router.applicationId())
        .sessionId(sessionId)
        .routerUrl(router.mediaUrl())
        .connectTimeout(Duration.ofSeconds(5))
        // The tests of a lost connection (CloseOrderTest, Hostile*) check that the session ends at
        // once; ReconnectTest turns automatic reconnection back on.
        .reconnectTimeout(Duration.ZERO)
        .listener(listener);
  }

  @Override
  public void close() {
    if (router != null) {
      router.close();
    }
  }
}
