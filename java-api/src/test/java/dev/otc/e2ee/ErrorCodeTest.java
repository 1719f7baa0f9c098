package dev.otc.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.bindings.global.otc;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The enum cannot drift from the native codes: checked against the library and against errors.h. */
class ErrorCodeTest {
  @Test
  void everyConstantHasTheNativeNumberAndName() {
    for (ErrorCode c : ErrorCode.values()) {
      if (c == ErrorCode.UNKNOWN) {
        continue;
      }
      assertThat(otc.otc_error_name(c.code()))
          .as("otc_error_name(%d) for %s", c.code(), c)
          .isNotNull();
      assertThat(otc.otc_error_name(c.code()).getString()).isEqualTo("OTC_" + c.name());
      assertThat(c.nativeName()).isEqualTo("OTC_" + c.name());
      assertThat(c.description()).isNotBlank().isNotEqualTo(ErrorCode.describe(-12345));
      assertThat(ErrorCode.fromCode(c.code())).isSameAs(c);
    }
  }

  @Test
  void everyCodeOfTheHeaderIsInTheEnum() throws IOException {
    String header = Files.readString(TestFiles.nativeInclude().resolve("otc/errors.h"));
    Matcher m = Pattern.compile("\\b(OTC_[A-Z0-9_]+)\\s*=\\s*(\\d+)").matcher(header);
    Map<String, Integer> codes = new LinkedHashMap<>();
    while (m.find()) {
      codes.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    assertThat(codes).hasSizeGreaterThan(30);
    codes.forEach((name, number) -> {
      ErrorCode c = ErrorCode.fromCode(number);
      assertThat(c).as(name).isNotEqualTo(ErrorCode.UNKNOWN);
      assertThat(c.nativeName()).isEqualTo(name);
    });
    assertThat(ErrorCode.values()).hasSize(codes.size() + 1);
  }

  @Test
  void unknownNumbersMapToUnknownAndKeepTheirValue() {
    assertThat(ErrorCode.fromCode(424242)).isEqualTo(ErrorCode.UNKNOWN);
    assertThat(ErrorCode.UNKNOWN.code()).isEqualTo(-1);
    assertThat(otc.otc_error_name(424242)).isNull();
    OtcException e = new OtcException(424242, "x");
    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN);
    assertThat(e.nativeCode()).isEqualTo(424242);
  }

  @Test
  void numbersAreUnique() {
    assertThat(Arrays.stream(ErrorCode.values()).mapToInt(ErrorCode::code).distinct().count())
        .isEqualTo(ErrorCode.values().length);
  }
}
