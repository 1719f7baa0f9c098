package dev.otc.e2ee;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Map;
import org.bytedeco.javacpp.Loader;

/**
 * The functions only the test build of libotc has (native/testing/include: fault injection, the raw
 * SFrame and primitive layers), for the Java tests.
 *
 * <p>They are in neither the shipped libotc nor the generated bindings. java-api's surefire puts
 * the test build first on the class path, laid out as in a natives jar (native/target/testing-natives,
 * java-api/pom.xml), so JavaCPP loads it in place of the shipped libotc.so.0 for every test of this
 * module; {@link #open} opens the very file JavaCPP loaded through JNA (the same path: the same
 * loaded library, the same process-wide state) with an interface declaring the test functions.
 * size_t and uint64_t are Java longs there: the test build runs on LP64 platforms only.
 */
public final class TestBuild {
  private TestBuild() {}

  /** {@code type}'s functions bound in the libotc JavaCPP loaded. */
  public static <T extends Library> T open(Class<T> type) {
    if (Native.SIZE_T_SIZE != 8) {
      throw new IllegalStateException("the test-only bindings map size_t to long: LP64 only");
    }
    return Native.load(path(), type);
  }

  /** The file of the libotc JavaCPP loaded (loading it first). */
  public static String path() {
    Loader.load(dev.otc.e2ee.bindings.global.otc.class);
    Map<String, String> loaded = Loader.getLoadedLibraries();
    return loaded.entrySet().stream()
        .filter(e -> e.getKey().startsWith("otc") || e.getKey().startsWith("libotc"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("JavaCPP has not loaded libotc: " + loaded));
  }
}
