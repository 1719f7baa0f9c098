package dev.otc.e2ee.media;

import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.bindings.otc.otc_audio_device;
import dev.otc.e2ee.bindings.otc.otc_audio_device_callbacks;
import dev.otc.e2ee.bindings.otc.otc_audio_device_settings;
import dev.otc.e2ee.internal.NativeLibrary;
import dev.otc.e2ee.internal.session.CallbackRegistry;
import java.nio.ShortBuffer;
import java.util.Objects;
import org.bytedeco.javacpp.Pointer;

/**
 * The process-wide audio device and its PCM data calls (native/include/otc/audio_device.h).
 *
 * <p>{@link #writeCaptureData} and {@link #readRenderData} take direct {@link ShortBuffer}s in
 * native byte order ({@code ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder()).asShortBuffer()}),
 * which the SDK reads and writes in place: a capture or render loop that reuses its buffer makes
 * no garbage. Both may be called from any thread at any time; before the capturer / renderer is
 * started they are refused ({@link dev.otc.e2ee.ErrorCode#ERR_INVALID_STATE} / 0 samples).
 */
public final class Audio {
  private static final System.Logger LOG = System.getLogger("dev.otc.e2ee.media");
  /** Devices the native side may call, by the registry id in their user_data. */
  private static final CallbackRegistry<AudioDevice> DEVICES = new CallbackRegistry<>();
  /** The device set now and its id (0: none); only replaced under this class's lock. */
  private static volatile AudioDevice current;
  private static long currentId;

  static {
    NativeLibrary.ensureLoaded();
  }

  private Audio() {}

  /**
   * Makes {@code device} the process's audio device (null removes it). The previous one is stopped
   * and destroyed first. Set it before connecting sessions, as the OpenTok SDK asks; set later,
   * capture and render start at once where publishers / subscribers need them.
   *
   * @throws OtcException {@link dev.otc.e2ee.ErrorCode#ERR_INVALID_PARAM} when its {@code init}
   *     refuses (no device is then set)
   */
  public static synchronized void setDevice(AudioDevice device) {
    long previous = currentId;
    if (device == null) {
      check(otc.otc_set_audio_device(null), "setDevice(null)");
    } else {
      // Callbacks find their device by the id in user_data: the previous device's stop and
      // destroy, which run inside otc_set_audio_device, still reach the previous device.
      long id = CallbackRegistry.reserve();
      DEVICES.bind(id, device);
      try (otc_audio_device_callbacks cb = new otc_audio_device_callbacks()) {
        cb.init(INIT).destroy(DESTROY)
            .init_capturer(INIT_CAPTURER).destroy_capturer(DESTROY_CAPTURER)
            .start_capturer(START_CAPTURER).stop_capturer(STOP_CAPTURER).get_capture_settings(CAPTURE_SETTINGS)
            .init_renderer(INIT_RENDERER).destroy_renderer(DESTROY_RENDERER)
            .start_renderer(START_RENDERER).stop_renderer(STOP_RENDERER).get_render_settings(RENDER_SETTINGS)
            .user_data(CallbackRegistry.userData(id)).reserved(null);
        int status = otc.otc_set_audio_device(cb);
        if (status != otc.OTC_SUCCESS) {
          DEVICES.unregister(id);
          throw new OtcException(status, "the audio device's init refused");
        }
      }
      currentId = id;
    }
    if (device == null) {
      currentId = 0;
    }
    if (previous != 0) {
      DEVICES.unregister(previous);
    }
    current = device;
  }

  /** The device set now, or null. */
  public static AudioDevice device() {
    return current;
  }

  /**
   * Hands {@code pcm.remaining()} samples (interleaved, all channels) of captured audio to the SDK,
   * which copies them; the buffer's position is not moved.
   *
   * @throws IllegalArgumentException for a buffer that is not direct, writable and in native
   *     order, or a count that is not a whole number of samples per channel
   * @throws OtcException {@code ERR_INVALID_STATE} when the capturer is not started;
   *     {@code ERR_INVALID_PARAM} for more than one second at once
   */
  public static void writeCaptureData(ShortBuffer pcm, int channels) {
    long address = address(pcm);
    if (channels < 1 || channels > 2 || pcm.remaining() % channels != 0) {
      throw new IllegalArgumentException(pcm.remaining() + " samples are not whole frames of " + channels + " channels");
    }
    int status = otc.otc_audio_device_write_capture_data(address + 2L * pcm.position(), pcm.remaining() / channels);
    if (status != otc.OTC_SUCCESS) {
      throw new OtcException(status, "writeCaptureData");
    }
  }

  /**
   * Fills {@code out} from its position with up to {@code out.remaining() / channels} samples per
   * channel of the mixed received audio; returns the number of samples per channel written (0 when
   * nothing waits or the renderer is not started). The position is not moved.
   */
  public static int readRenderData(ShortBuffer out, int channels) {
    long address = address(out);
    if (channels < 1 || channels > 2) {
      throw new IllegalArgumentException("channels " + channels);
    }
    return (int) otc.otc_audio_device_read_render_data(address + 2L * out.position(), out.remaining() / channels);
  }

  private static long address(ShortBuffer b) {
    Objects.requireNonNull(b, "buffer");
    long a = NativeMemory.addressOf(b);
    if (a == 0) {
      throw new IllegalArgumentException("a direct ShortBuffer is needed (ByteBuffer.allocateDirect(..).order(nativeOrder()).asShortBuffer())");
    }
    if (b.order() != java.nio.ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException("the buffer must be in native byte order");
    }
    if (b.isReadOnly()) {
      throw new IllegalArgumentException("the buffer is read-only");
    }
    return a;
  }

  private static void check(int status, String what) {
    if (status != otc.OTC_SUCCESS) {
      throw new OtcException(status, what);
    }
  }

  private interface Call {
    boolean run(AudioDevice device) throws Throwable;
  }

  private static int call(Pointer userData, String what, Call call) {
    try {
      AudioDevice d = DEVICES.lookup(userData);
      return d != null && call.run(d) ? 1 : 0;
    } catch (Throwable t) {
      try {
        LOG.log(System.Logger.Level.ERROR, () -> "audio device " + what + " failed", t);
      } catch (Throwable ignored) {
        // nothing may escape into native code
      }
      return 0;
    }
  }

  private static int settings(Pointer u, String what, otc_audio_device_settings out, boolean capture) {
    return call(u, what, d -> {
      AudioDevice.Settings s = capture ? d.captureSettings() : d.renderSettings();
      if (s == null || out == null || out.isNull()) {
        return false;
      }
      out.sampling_rate(s.samplingRate()).number_of_channels(s.channels());
      return true;
    });
  }

  // One static function pointer per callback (JavaCPP allows few live instances per class).
  private static final otc_audio_device_callbacks.Init_otc_audio_device_Pointer INIT =
      new otc_audio_device_callbacks.Init_otc_audio_device_Pointer() {
        @Override
        public int call(otc_audio_device d, Pointer u) {
          return Audio.call(u, "init", AudioDevice::init);
        }
      };
  private static final otc_audio_device_callbacks.Destroy_otc_audio_device_Pointer DESTROY =
      new otc_audio_device_callbacks.Destroy_otc_audio_device_Pointer() {
        @Override
        public int call(otc_audio_device d, Pointer u) {
          return Audio.call(u, "destroy", x -> {
            x.destroy();
            return true;
          });
        }
      };
  private static final otc_audio_device_callbacks.Init_capturer_otc_audio_device_Pointer INIT_CAPTURER =
      new otc_audio_device_callbacks.Init_capturer_otc_audio_device_Pointer() {
        @Override
        public int call(otc_audio_device d, Pointer u) {
          return Audio.call(u, "init_capturer", AudioDevice::initCapturer);
        }
      };
  private static final otc_audio_device_callbacks.Destroy_capturer_otc_audio_device_Pointer DESTROY_CAPTURER =
      new otc_audio_device_callbacks.Destroy_capturer_otc_audio_device_Pointer() {
        @Override
        public int call(otc_audio_device d, Pointer u) {
          return Audio.call(u, "destroy_capturer", x -> {
            x.destroyCapturer();
            return true;
          });
        }
      };
  private static final otc_audio_device_callbacks.Start_capturer_otc_audio_device_Pointer START_CAPTURER =
      new otc_audio_device_callbacks.Start_capturer_otc_audio_device_Pointer() {
        @Override
        public int call(otc_audio_device d, Pointer u) {
          return Audio.call(u, "start_capturer", AudioDevice::startCapturer);
        }
      };
  private static final otc_audio_device_callbacks.Stop_capturer_otc_audio_device_Pointer STOP_CAPTURER =
      new otc_audio_device_callbacks.Stop_capturer_otc_audio_device_Pointer() {
        @Override
        public int call(otc_audio_device d, Pointer u) {
          return Audio.call(u, "stop_capturer", x -> {
            x.stopCapturer();
            return true;
          });
        }
      };
  private static final otc_audio_device_callbacks.Get_capture_settings_otc_audio_device_Pointer_otc_audio_device_settings
      CAPTURE_SETTINGS = new otc_audio_device_callbacks.Get_capture_settings_otc_audio_device_Pointer_otc_audio_device_settings() {
        @Override
        public int call(otc_audio_device d, Pointer u, otc_audio_device_settings s) {
          return settings(u, "get_capture_settings", s, true);
        }
      };
  private static final otc_audio_device_callbacks.Init_renderer_otc_audio_device_Pointer INIT_RENDERER =
      new otc_audio_device_callbacks.Init_renderer_otc_audio_device_Pointer() {
        @Override
        public int call(otc_audio_device d, Pointer u) {
          return Audio.call(u, "init_renderer", AudioDevice::initRenderer);
        }
      };
  private static final otc_audio_device_callbacks.Destroy_renderer_otc_audio_device_Pointer DESTROY_RENDERER =
      new otc_audio_device_callbacks.Destroy_renderer_otc_audio_device_Pointer() {
        @Override
        public int call(otc_audio_device d, Pointer u) {
          return Audio.call(u, "destroy_renderer", x -> {
            x.destroyRenderer();
            return true;
          });
        }
      };
  private static final otc_audio_device_callbacks.Start_renderer_otc_audio_device_Pointer START_RENDERER =
      new otc_audio_device_callbacks.Start_renderer_otc_audio_device_Pointer() {
        @Override
        public int call(otc_audio_device d, Pointer u) {
          return Audio.call(u, "start_renderer", AudioDevice::startRenderer);
        }
      };
  private static final otc_audio_device_callbacks.Stop_renderer_otc_audio_device_Pointer STOP_RENDERER =
      new otc_audio_device_callbacks.Stop_renderer_otc_audio_device_Pointer() {
        @Override
        public int call(otc_audio_device d, Pointer u) {
          return Audio.call(u, "stop_renderer", x -> {
            x.stopRenderer();
            return true;
          });
        }
      };
  private static final otc_audio_device_callbacks.Get_render_settings_otc_audio_device_Pointer_otc_audio_device_settings
      RENDER_SETTINGS = new otc_audio_device_callbacks.Get_render_settings_otc_audio_device_Pointer_otc_audio_device_settings() {
        @Override
        public int call(otc_audio_device d, Pointer u, otc_audio_device_settings s) {
          return settings(u, "get_render_settings", s, false);
        }
      };
}
