// Secret validation: 8..256 code points of strict UTF-8, no NUL.
#include <gtest/gtest.h>
#include <otc/otc.h>

#include <string>

namespace {

otc_status validate(const std::string& s) {
  return otc_encryption_secret_validate(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string repeat(const std::string& unit, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

// One character of each UTF-8 length.
const std::string kOneByte = "a";
const std::string kTwoBytes = "\xC3\xA9";          // U+00E9
const std::string kThreeBytes = "\xE2\x82\xAC";    // U+20AC
const std::string kFourBytes = "\xF0\x9F\x94\x91"; // U+1F511

class SecretLength : public ::testing::TestWithParam<std::string> {};

TEST_P(SecretLength, BoundariesCountCodePointsNotBytes) {
  const std::string& unit = GetParam();
  EXPECT_EQ(validate(repeat(unit, 7)), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  EXPECT_EQ(validate(repeat(unit, 8)), OTC_SUCCESS);
  EXPECT_EQ(validate(repeat(unit, 256)), OTC_SUCCESS);
  EXPECT_EQ(validate(repeat(unit, 257)), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
}

INSTANTIATE_TEST_SUITE_P(AllUtf8Lengths, SecretLength,
                         ::testing::Values(kOneByte, kTwoBytes, kThreeBytes, kFourBytes));

TEST(Secret, MixedWidthsCountEachCharacterOnce) {
  // 2 of each width = 8 code points but 20 bytes.
  const std::string s = repeat(kOneByte + kTwoBytes + kThreeBytes + kFourBytes, 2);
  EXPECT_EQ(s.size(), 20u);
  EXPECT_EQ(validate(s), OTC_SUCCESS);
  EXPECT_EQ(validate(s.substr(0, 16)), OTC_SESSION_INVALID_ENCRYPTION_SECRET);  // 7 code points
}

TEST(Secret, RejectsMalformedUtf8) {
  const std::string good = "abcdefgh";
  const char* bad_sequences[] = {
      "\xC0\xAF",          // overlong '/'
      "\xC1\xBF",          // overlong
      "\xE0\x80\xAF",      // overlong 3-byte
      "\xE0\x9F\xBF",      // overlong 3-byte (U+07FF)
      "\xF0\x80\x80\xAF",  // overlong 4-byte
      "\xF0\x8F\xBF\xBF",  // overlong 4-byte (U+FFFF)
      "\xED\xA0\x80",      // U+D800 high surrogate
      "\xED\xBF\xBF",      // U+DFFF low surrogate
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",  // lead byte beyond Unicode
      "\xFF",              // never valid
      "\x80",              // stray continuation
      "\xC3",              // truncated 2-byte at end
      "\xE2\x82",          // truncated 3-byte at end
      "\xF0\x9F\x94",      // truncated 4-byte at end
      "\xC3\x28",          // continuation replaced by ASCII
      "\xE2\x28\xA1",      // bad second byte
  };
  for (const char* bad : bad_sequences) {
    SCOPED_TRACE(::testing::PrintToString(std::string(bad)));
    EXPECT_EQ(validate(good + bad), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
    EXPECT_EQ(validate(std::string(bad) + good), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  }
  // The largest valid code points of each class are accepted.
  EXPECT_EQ(validate(good + "\xF4\x8F\xBF\xBF"), OTC_SUCCESS);  // U+10FFFF
  EXPECT_EQ(validate(good + "\xEF\xBF\xBF"), OTC_SUCCESS);      // U+FFFF
  EXPECT_EQ(validate(good + "\xED\x9F\xBF"), OTC_SUCCESS);      // U+D7FF
}

TEST(Secret, RejectsEmbeddedAndTrailingNul) {
  std::string s = "abcd";
  s.push_back('\0');
  s += "efghij";
  EXPECT_EQ(validate(s), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  std::string trailing = "abcdefgh";
  trailing.push_back('\0');
  EXPECT_EQ(validate(trailing), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
}

TEST(Secret, RejectsNullPointerAndEmpty) {
  EXPECT_EQ(otc_encryption_secret_validate(nullptr, 10), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  EXPECT_EQ(otc_encryption_secret_validate(nullptr, 0), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  EXPECT_EQ(validate(""), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
}

TEST(Secret, LengthIsTakenFromTheArgumentNotATerminator) {
  const std::string s = "abcdefghXYZ";
  EXPECT_EQ(otc_encryption_secret_validate(reinterpret_cast<const uint8_t*>(s.data()), 8), OTC_SUCCESS);
  EXPECT_EQ(otc_encryption_secret_validate(reinterpret_cast<const uint8_t*>(s.data()), 7),
            OTC_SESSION_INVALID_ENCRYPTION_SECRET);
}

}  // namespace
