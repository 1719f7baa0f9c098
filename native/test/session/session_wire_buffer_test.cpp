// Field reader/writer and UTF-8 validation of the router protocol.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "session/wire_buffer.hpp"
#include "utf8.hpp"

using otc::is_valid_utf8;
using otc::client::WireReader;
using otc::client::WireWriter;

TEST(SessionWireBuffer, Utf8AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xC3\xA9"));                 // U+00E9
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));             // U+20AC
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));         // U+1F600
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));         // U+10FFFF
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));     // NUL is a code point
}

TEST(SessionWireBuffer, Utf8RefusesIllFormedText) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(SessionWireBuffer, WriterIsBigEndianAndReaderInvertsIt) {
  std::vector<uint8_t> buf;
  WireWriter w(buf);
  w.u8(0xAB);
  w.u16(0x0102);
  w.u32(0x03040506);
  w.u64(0x0708090A0B0C0D0Eull);
  w.str("hi");
  const std::vector<uint8_t> expected = {0xAB, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0, 2, 'h', 'i'};
  EXPECT_EQ(buf, expected);
  WireReader r(buf.data(), buf.size());
  EXPECT_EQ(r.u8(), 0xAB);
  EXPECT_EQ(r.u16(), 0x0102);
  EXPECT_EQ(r.u32(), 0x03040506u);
  EXPECT_EQ(r.u64(), 0x0708090A0B0C0D0Eull);
  EXPECT_EQ(r.str(), "hi");
  EXPECT_TRUE(r.finished());
}

TEST(SessionWireBuffer, ReaderLatchesTheFirstFailure) {
  const uint8_t data[] = {0, 5, 'a'};
  WireReader r(data, sizeof data);
  EXPECT_EQ(r.str(), "");  // claims 5 bytes, has 1
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.u8(), 0);  // nothing more is read once failed
  EXPECT_FALSE(r.finished());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(SessionWireBuffer, ReaderRefusesStringsAboveTheirLimit) {
  const uint8_t data[] = {0, 3, 'a', 'b', 'c'};
  WireReader ok(data, sizeof data);
  EXPECT_EQ(ok.str(3), "abc");
  WireReader too_long(data, sizeof data);
  too_long.str(2);
  EXPECT_FALSE(too_long.ok());
}
