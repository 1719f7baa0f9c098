package dev.otc.e2ee.internal;

import dev.otc.e2ee.bindings.global.otc;
import org.bytedeco.javacpp.Loader;

/**
 * Loads the JNI library and libotc once, and turns JavaCPP's "no jniotc in java.library.path"
 * into an error that names the jar which is missing from the class path.
 *
 * <p>Every entry point of the Java API calls {@link #ensureLoaded()} before touching a binding
 * class: a failed static initialiser of a binding class would otherwise surface later as a bare
 * {@code NoClassDefFoundError}.
 */
public final class NativeLibrary {
  /**
   * The Maven coordinates of the jar that carries the natives of the given JavaCPP platform: the
   * bindings artifact with the platform as classifier, as javacpp-presets name theirs.
   */
  public static String platformArtifact(String platform) {
    return "dev.otc:otc-e2ee-bindings:jar:" + platform;
  }

  /** The artifact that depends on the natives of every platform built. */
  public static final String ALL_PLATFORMS_ARTIFACT = "dev.otc:otc-e2ee-platform";

  private static final Throwable LOAD_FAILURE = load();

  private NativeLibrary() {}

  private static Throwable load() {
    try {
      Loader.load(otc.class);
      return null;
    } catch (Throwable t) {
      // Catching Throwable is deliberate: UnsatisfiedLinkError, NoClassDefFoundError (bindings or
      // javacpp jar missing) and ExceptionInInitializerError all mean the same thing to the caller.
      return t;
    }
  }

  /** The JavaCPP platform name of this JVM, e.g. {@code linux-x86_64}. */
  public static String platform() {
    try {
      return Loader.getPlatform();
    } catch (Throwable t) {
      return System.getProperty("os.name", "unknown").toLowerCase(java.util.Locale.ROOT) + "-"
          + System.getProperty("os.arch", "unknown");
    }
  }

  /**
   * @throws UnsatisfiedLinkError naming the natives jar of this platform (classifier) and the
   *     all-platforms artifact when the natives cannot be loaded; the original failure is the cause
   */
  public static void ensureLoaded() {
    if (LOAD_FAILURE != null) {
      String platform = platform();
      UnsatisfiedLinkError error = new UnsatisfiedLinkError(
          "otc-e2ee native library for platform " + platform + " could not be loaded: add "
              + platformArtifact(platform) + " (classifier " + platform + ", same version as dev.otc:otc-e2ee)"
              + " or " + ALL_PLATFORMS_ARTIFACT + " to the class path (" + LOAD_FAILURE + ")");
      error.initCause(LOAD_FAILURE);
      throw error;
    }
  }

  /** Whether the natives loaded; never throws. */
  public static boolean isLoaded() {
    return LOAD_FAILURE == null;
  }
}
