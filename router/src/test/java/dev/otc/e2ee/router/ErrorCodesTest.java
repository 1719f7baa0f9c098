package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The router's error numbers are copies of the C API's (clients map them with {@code otc_error_string});
 * this keeps the copies honest: each {@link ErrorCodes} constant {@code X} must be {@code OTC_X} or
 * {@code OTC_SESSION_X} in {@code native/include/otc/errors.h}, with the same number.
 */
class ErrorCodesTest {
    private static final Pattern ENUM_ENTRY = Pattern.compile("^\\s*(OTC_[A-Z0-9_]+)\\s*=\\s*(\\d+)", Pattern.MULTILINE);

    static Map<String, Integer> headerCodes() throws IOException {
        String header = Files.readString(Path.of(System.getProperty("otc.errors.header")));
        Map<String, Integer> codes = new HashMap<>();
        Matcher m = ENUM_ENTRY.matcher(header);
        while (m.find()) {
            codes.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return codes;
    }

    @Test
    void everyRouterCodeIsTheHeadersCodeOfTheSameName() throws Exception {
        Map<String, Integer> header = headerCodes();
        assertThat(header).containsEntry("OTC_SESSION_PROTOCOL_ERROR", 1030).hasSizeGreaterThan(30);
        int checked = 0;
        for (Field f : ErrorCodes.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) {
                continue;
            }
            f.setAccessible(true);
            int value = f.getInt(null);
            String name = f.getName();
            Integer inHeader = header.containsKey("OTC_" + name) ? header.get("OTC_" + name) : header.get("OTC_SESSION_" + name);
            assertThat(inHeader).as("ErrorCodes.%s has no OTC_%s or OTC_SESSION_%s in errors.h", name, name, name).isNotNull();
            assertThat(value).as("ErrorCodes.%s", name).isEqualTo(inHeader);
            checked++;
        }
        assertThat(checked).isEqualTo(ErrorCodes.class.getDeclaredFields().length);
    }
}
