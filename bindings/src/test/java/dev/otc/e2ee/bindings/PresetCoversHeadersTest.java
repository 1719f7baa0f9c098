package dev.otc.e2ee.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.junit.jupiter.api.Test;

/**
 * The headers grow while the SDK grows; a header that is in the include directory but not in the
 * preset would silently have no Java binding. These checks make that a build failure instead.
 */
class PresetCoversHeadersTest {
  /** Headers the preset deliberately does not parse. */
  private static final Set<String> NOT_PARSED = Set.of("otc/config.h", "otc/otc.h");

  private static final Path INCLUDE_DIR = Path.of(System.getProperty("otc.native.include", "../native/include"));

  private static List<String> presetIncludes() {
    Platform platform = dev.otc.e2ee.bindings.presets.otc.class.getAnnotation(Properties.class).value()[0];
    return List.of(platform.include());
  }

  @Test
  void everyPublicHeaderIsInThePreset() throws IOException {
    Set<String> onDisk = new TreeSet<>();
    try (Stream<Path> files = Files.list(INCLUDE_DIR.resolve("otc"))) {
      files.filter(p -> p.toString().endsWith(".h")).forEach(p -> onDisk.add("otc/" + p.getFileName()));
    }
    onDisk.removeAll(NOT_PARSED);
    assertEquals(onDisk, new TreeSet<>(presetIncludes()),
        "bindings/src/main/java/dev/otc/e2ee/bindings/presets/otc.java must list every header of " + INCLUDE_DIR);
  }

  @Test
  void presetFollowsTheOrderOfTheUmbrellaHeader() throws IOException {
    // otc.h lists headers in dependency order; the parser needs types declared before use.
    Matcher m = Pattern.compile("#include\\s+\"([^\"]+)\"")
        .matcher(Files.readString(INCLUDE_DIR.resolve("otc/otc.h")));
    List<String> umbrella = new ArrayList<>();
    while (m.find()) {
      String header = "otc/" + m.group(1);
      if (!NOT_PARSED.contains(header)) {
        umbrella.add(header);
      }
    }
    List<String> preset = presetIncludes();
    assertTrue(umbrella.containsAll(preset) && preset.containsAll(umbrella),
        "otc.h and the preset list different headers: " + umbrella + " vs " + preset);
    assertEquals(umbrella, preset, "preset include order must follow otc.h");
  }
}
