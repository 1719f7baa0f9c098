package dev.otc.e2ee.media;

/**
 * The process's custom audio device ({@code otc_audio_device_callbacks},
 * native/include/otc/audio_device.h), set with {@link Audio#setDevice}. The application's capture
 * thread pushes 16-bit PCM with {@link Audio#writeCaptureData}; the SDK cuts it into 20 ms
 * frames, encodes them with Opus and sends them on every live publisher with an audio track
 * (encrypted in an E2EE session). Received audio is decoded per stream; the application's render
 * thread pulls the mix with {@link Audio#readRenderData}.
 *
 * <p>Format: interleaved signed 16-bit samples at 48 000 Hz, 1 or 2 channels. When the methods
 * run: {@link #init} inside {@link Audio#setDevice}; {@link #destroy} when the device is replaced
 * or removed. {@code captureSettings}, {@code initCapturer}, {@code startCapturer}: when the first
 * publisher with audio goes live (a session's callback thread); {@code stopCapturer},
 * {@code destroyCapturer}: when the last one ends. The renderer methods likewise for the first and
 * last subscriber of a stream with audio. A method that throws counts as a failure
 * ({@code OTC_FALSE}); the exception is logged, never propagated into native code. Do not call
 * {@link Audio#setDevice} from inside these methods.
 */
public interface AudioDevice {
  /** PCM format: samples per second per channel (48 000) and channels (1 or 2). */
  record Settings(int samplingRate, int channels) {
    public static final Settings MONO_48K = new Settings(48_000, 1);
  }

  default boolean init() {
    return true;
  }

  default void destroy() {}

  default Settings captureSettings() {
    return Settings.MONO_48K;
  }

  default boolean initCapturer() {
    return true;
  }

  default void destroyCapturer() {}

  /** A publisher with audio is live: start calling {@link Audio#writeCaptureData}. */
  default boolean startCapturer() {
    return true;
  }

  default void stopCapturer() {}

  default Settings renderSettings() {
    return Settings.MONO_48K;
  }

  default boolean initRenderer() {
    return true;
  }

  default void destroyRenderer() {}

  /** A stream with audio is subscribed: start calling {@link Audio#readRenderData}. */
  default boolean startRenderer() {
    return true;
  }

  default void stopRenderer() {}
}
