package dev.otc.e2ee.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped JNI library must find libotc.so beside itself ($ORIGIN) and nowhere else: a build
 * machine path in RUNPATH would leak into the jar and could load a stale library on a developer
 * machine. readelf comes with binutils, which the g++ toolchain of this build already needs.
 */
class RunpathTest {
  private static final Path DIR = Path.of(System.getProperty("otc.bindings.native",
      "target/native/dev/otc/e2ee/bindings/linux-x86_64"));

  private static String readelf(Path lib) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("readelf", "-d", lib.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    return out;
  }

  @Test
  void jniLibraryNeedsLibotcAndLooksOnlyBesideItself() throws Exception {
    Path jni = DIR.resolve("libjniotc.so");
    assertTrue(Files.isRegularFile(jni), jni.toString());
    // The SONAME (ABI in otc.h): the JNI library records libotc.so.0 and copyLibs ships that file.
    assertTrue(Files.isRegularFile(DIR.resolve("libotc.so.0")), "copyLibs must put libotc.so.0 beside the JNI library");
    String dyn = readelf(jni);
    assertTrue(dyn.contains("Shared library: [libotc.so.0]"), dyn);
    Matcher m = Pattern.compile("\\((?:RUNPATH|RPATH)\\)\\s+Library r(?:un)?path: \\[([^\\]]*)\\]").matcher(dyn);
    assertTrue(m.find(), dyn);
    assertEquals(List.of("$ORIGIN/"), List.of(m.group(1).split(":")));
    assertFalse(m.find(), "a single search path entry expected: " + dyn);
  }
}
