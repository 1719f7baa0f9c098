package dev.otc.e2ee.internal.media;

import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.bindings.otc.otc_subscriber;
import dev.otc.e2ee.bindings.otc.otc_subscriber_callbacks;
import dev.otc.e2ee.bindings.otc.otc_video_frame;
import dev.otc.e2ee.internal.NativeLibrary;
import dev.otc.e2ee.internal.session.CallbackRegistry;
import dev.otc.e2ee.media.VideoFrame;
import dev.otc.e2ee.media.VideoRenderer;
import org.bytedeco.javacpp.Pointer;

/**
 * Used by {@code Subscriber} (not API): the native {@code on_render_frame} callback.
 * One static function pointer for all subscribers, routed by the subscriber's registry id in
 * {@code user_data}; each subscriber has one reusable {@link VideoFrame} view, bound to the
 * decoded picture for the duration of {@link VideoRenderer#onRenderFrame} and unbound after.
 */
public final class RenderBridge {
  private static final System.Logger LOG = System.getLogger("dev.otc.e2ee.media");
  private static final MediaAccess ACCESS = MediaAccess.get();
  private static final CallbackRegistry<Target> TARGETS = new CallbackRegistry<>();

  static {
    NativeLibrary.ensureLoaded();
  }

  private RenderBridge() {}

  private record Target(Subscriber subscriber, VideoRenderer renderer, VideoFrame view) {}

  /** Sets on_render_frame in a subscriber's callback struct (before otc_subscriber_new). */
  public static void install(otc_subscriber_callbacks callbacks) {
    callbacks.on_render_frame(ON_RENDER_FRAME);
  }

  /**
   * Routes the render callbacks of registry id {@code id} to {@code renderer}. The registry holds
   * its targets weakly, so the caller must keep the returned route reachable for as long as the
   * subscriber lives (a field of the subscriber): otherwise the first collection cuts it and
   * rendering stops without a word.
   */
  public static Object bind(long id, Subscriber subscriber, VideoRenderer renderer) {
    Target route = new Target(subscriber, renderer, ACCESS.newView());
    TARGETS.bind(id, route);
    return route;
  }

  /** After otc_subscriber_delete returned (no callback starts after it). */
  public static void unbind(long id) {
    TARGETS.unregister(id);
    Hit hit = last;
    if (hit != null && hit.id() == id) {
      last = null;
    }
  }

  /** Plane views created so far for the subscriber of {@code id} (cache misses; for tests). */
  public static long viewsCreated(long id) {
    Target t = TARGETS.lookup(new IdProbe(id));
    return t == null ? -1 : ACCESS.viewsCreated(t.view());
  }

  private static final otc_subscriber_callbacks.On_render_frame_otc_subscriber_Pointer_otc_video_frame ON_RENDER_FRAME =
      new otc_subscriber_callbacks.On_render_frame_otc_subscriber_Pointer_otc_video_frame() {
        @Override
        public void call(otc_subscriber subscriber, Pointer userData, otc_video_frame frame) {
          try {
            Target t = lookup(userData);
            if (t == null || frame == null || frame.isNull() || t.subscriber().isClosed()) {
              return;
            }
            VideoFrame view = t.view();
            ACCESS.bind(view, frame.address());
            try {
              t.renderer().onRenderFrame(t.subscriber(), view);
            } finally {
              ACCESS.unbind(view);
            }
          } catch (Throwable e) {
            try {
              LOG.log(System.Logger.Level.ERROR, () -> "video renderer failed", e);
            } catch (Throwable ignored) {
              // nothing may escape into native code
            }
          }
        }
      };

  /** The last target found, by id: saves the map's boxed-key look-up for a stream's every frame. */
  private record Hit(long id, Target target) {}

  private static volatile Hit last;

  private static Target lookup(Pointer userData) {
    if (userData == null) {
      return null;
    }
    Hit hit = last;
    long id = userData.address();
    if (hit != null && hit.id() == id) {
      return hit.target();
    }
    Target t = TARGETS.lookup(userData);
    if (t != null) {
      last = new Hit(id, t);
    }
    return t;
  }

  private static final class IdProbe extends Pointer {
    IdProbe(long id) {
      this.address = id;
    }
  }
}
