package dev.otc.e2ee.internal.media;

import dev.otc.e2ee.bindings.otc.otc_video_capturer;
import dev.otc.e2ee.bindings.otc.otc_video_capturer_callbacks;
import dev.otc.e2ee.bindings.otc.otc_video_capturer_settings;
import dev.otc.e2ee.internal.NativeLibrary;
import dev.otc.e2ee.internal.session.CallbackRegistry;
import dev.otc.e2ee.media.VideoCapturer;
import dev.otc.e2ee.media.VideoFrameSink;
import java.util.Objects;
import org.bytedeco.javacpp.Pointer;

/**
 * Used by {@code Publisher} (not API): connects a {@link VideoCapturer} to the native
 * {@code otc_video_capturer_callbacks}. As for the session callbacks, JavaCPP allows few live
 * instances per callback class, so the function pointers are static and {@code user_data}
 * carries a registry id; every entry point catches {@link Throwable} (nothing may escape into
 * native code) and reports a failure as {@code OTC_FALSE}.
 */
public final class CapturerBridge {
  private static final System.Logger LOG = System.getLogger("dev.otc.e2ee.media");
  private static final MediaAccess ACCESS = MediaAccess.get();
  private static final CallbackRegistry<CapturerBridge> TARGETS = new CallbackRegistry<>();

  static {
    NativeLibrary.ensureLoaded();
  }

  private final VideoCapturer capturer;
  private final VideoFrameSink sink = ACCESS.newSink();
  private final long id = CallbackRegistry.reserve();

  public CapturerBridge(VideoCapturer capturer) {
    this.capturer = Objects.requireNonNull(capturer, "capturer");
    ACCESS.onRelease(sink, () -> TARGETS.unregister(id));
    TARGETS.bind(id, this);
  }

  /** A filled callback struct for otc_publisher_new (which copies it: close it after the call). */
  public otc_video_capturer_callbacks callbacks() {
    return new otc_video_capturer_callbacks()
        .init(INIT)
        .destroy(DESTROY)
        .start(START)
        .stop(STOP)
        .get_capture_settings(SETTINGS)
        .user_data(CallbackRegistry.userData(id))
        .reserved(null);
  }

  /**
   * The publisher exists: {@code freeNative} deletes it (which calls stop and destroy) once no
   * frame is being provided any more, after {@link #close()}.
   */
  public void attach(Runnable freeNative) {
    ACCESS.onRelease(sink, () -> {
      try {
        freeNative.run();
      } finally {
        TARGETS.unregister(id);
      }
    });
  }

  /**
   * The publisher was not created, or is being closed: refuse new frames; once no frame is in
   * flight, free the publisher if {@link #attach attached} and forget this bridge.
   */
  public void close() {
    ACCESS.closeSink(sink);
  }

  /** Number of capturers the native side may still call (for leak checks in tests). */
  public static int liveCount() {
    return TARGETS.size();
  }

  private interface Call {
    boolean run(CapturerBridge bridge) throws Throwable;
  }

  private static int call(Pointer userData, String what, Call call) {
    try {
      CapturerBridge b = TARGETS.lookup(userData);
      if (b == null) {
        return 0;
      }
      return call.run(b) ? 1 : 0;
    } catch (Throwable t) {
      try {
        LOG.log(System.Logger.Level.ERROR, () -> "video capturer " + what + " failed", t);
      } catch (Throwable ignored) {
        // nothing may escape into native code
      }
      return 0;
    }
  }

  private static final otc_video_capturer_callbacks.Init_otc_video_capturer_Pointer INIT =
      new otc_video_capturer_callbacks.Init_otc_video_capturer_Pointer() {
        @Override
        public int call(otc_video_capturer handle, Pointer userData) {
          return CapturerBridge.call(userData, "init", b -> {
            ACCESS.attachCapturer(b.sink, handle.address());
            return b.capturer.init(b.sink);
          });
        }
      };

  private static final otc_video_capturer_callbacks.Destroy_otc_video_capturer_Pointer DESTROY =
      new otc_video_capturer_callbacks.Destroy_otc_video_capturer_Pointer() {
        @Override
        public int call(otc_video_capturer handle, Pointer userData) {
          return CapturerBridge.call(userData, "destroy", b -> {
            ACCESS.closeSink(b.sink);
            b.capturer.destroy();
            return true;
          });
        }
      };

  private static final otc_video_capturer_callbacks.Start_otc_video_capturer_Pointer START =
      new otc_video_capturer_callbacks.Start_otc_video_capturer_Pointer() {
        @Override
        public int call(otc_video_capturer handle, Pointer userData) {
          return CapturerBridge.call(userData, "start", b -> {
            b.capturer.start();
            return true;
          });
        }
      };

  private static final otc_video_capturer_callbacks.Stop_otc_video_capturer_Pointer STOP =
      new otc_video_capturer_callbacks.Stop_otc_video_capturer_Pointer() {
        @Override
        public int call(otc_video_capturer handle, Pointer userData) {
          return CapturerBridge.call(userData, "stop", b -> {
            b.capturer.stop();
            return true;
          });
        }
      };

  private static final otc_video_capturer_callbacks.Get_capture_settings_otc_video_capturer_Pointer_otc_video_capturer_settings
      SETTINGS = new otc_video_capturer_callbacks.Get_capture_settings_otc_video_capturer_Pointer_otc_video_capturer_settings() {
        @Override
        public int call(otc_video_capturer handle, Pointer userData, otc_video_capturer_settings settings) {
          return CapturerBridge.call(userData, "get_capture_settings", b -> {
            VideoCapturer.CaptureSettings s = b.capturer.captureSettings();
            if (s == null || settings == null || settings.isNull()) {
              return false;
            }
            settings.format(s.format().code()).width(s.width()).height(s.height()).fps(s.fps());
            return true;
          });
        }
      };
}
