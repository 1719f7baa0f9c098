package dev.otc.e2ee.session;

import dev.otc.e2ee.Session;
import dev.otc.e2ee.SessionListener;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Role;
import java.time.Duration;

/** The real router, in-process on loopback ports, with helpers to create sessions and tokens. */
final class TestRouter implements AutoCloseable {
  final MediaRouter router;

  TestRouter() {
    this(MediaRouter.builder());
  }

  TestRouter(MediaRouter.Builder builder) {
    this.router = builder.ioThreads(2).start();
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
        .listener(listener);
  }

  @Override
  public void close() {
    router.close();
  }
}
