// The one UTF-8 validator's C-string entry (src/common/utf8.hpp): what the C API accepts as a
// name, token, signal or session id.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "otc/frame_cryptor.h"
#include "utf8.hpp"

using otc::is_valid_c_text;

TEST(Utf8CText, AcceptsWellFormedTextUpToTheLimit) {
  EXPECT_TRUE(is_valid_c_text("caf\xC3\xA9", 5));                       // 5 bytes, limit 5
  EXPECT_FALSE(is_valid_c_text("caf\xC3\xA9", 4));                      // one byte over
  EXPECT_TRUE(is_valid_c_text("\xF0\x9F\x98\x80", 4, false));           // U+1F600
}

TEST(Utf8CText, EmptyOnlyWhenAllowedAndNullNever) {
  EXPECT_TRUE(is_valid_c_text("", 8));
  EXPECT_FALSE(is_valid_c_text("", 8, false));
  EXPECT_FALSE(is_valid_c_text(nullptr, 8));
}

TEST(Utf8CText, RefusesMalformedUtf8) {
  EXPECT_FALSE(is_valid_c_text("\xC0\xAF", 8));      // overlong
  EXPECT_FALSE(is_valid_c_text("\xED\xA0\x80", 8));  // surrogate
  EXPECT_FALSE(is_valid_c_text("ab\xC3", 8));        // truncated at the end
  // Cut by the limit inside a character: the prefix is too long, not half a character.
  EXPECT_FALSE(is_valid_c_text("a\xE2\x82\xAC", 3));
}

TEST(Utf8CText, ReadsNoFurtherThanOneByteBeyondTheLimit) {
  // An unterminated buffer of limit + 1 bytes: refused as too long, the scan stays inside it
  // (the sanitize build would report a read past the vector).
  const std::vector<char> unterminated(65, 'x');
  EXPECT_FALSE(is_valid_c_text(unterminated.data(), 64));
}

TEST(Utf8CText, SessionIdIsTheSameRule) {
  EXPECT_TRUE(otc::is_valid_session_id("s\xC3\xA9ssion"));
  EXPECT_FALSE(otc::is_valid_session_id(""));
  EXPECT_FALSE(otc::is_valid_session_id(std::string(OTC_SESSION_ID_MAX_BYTES + 1, 'a').c_str()));
  EXPECT_TRUE(otc::is_valid_session_id(std::string(OTC_SESSION_ID_MAX_BYTES, 'a').c_str()));
}
