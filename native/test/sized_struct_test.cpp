// fill_sized (src/sized_struct.hpp): the library writes no more of a caller's struct than its
// struct_size declares, whatever the caller's header version.
#include "sized_struct.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace {

struct Current {  // the library's layout
  std::size_t struct_size;
  std::uint64_t a;
  std::uint64_t b;
};

struct Older {  // the same struct as an older header declared it, followed by memory it does not own
  std::size_t struct_size;
  std::uint64_t a;
  unsigned char beyond[sizeof(std::uint64_t) + 16];
};

TEST(SizedStruct, WritesOnlyTheMembersAnOlderCallerDeclared) {
  Older old;
  std::memset(&old, 0xA5, sizeof old);
  old.struct_size = offsetof(Older, beyond);
  const Current full{0, 7, 9};
  ASSERT_EQ(otc::fill_sized(full, reinterpret_cast<Current*>(&old)), OTC_SUCCESS);
  EXPECT_EQ(old.struct_size, offsetof(Older, beyond));
  EXPECT_EQ(old.a, 7u);
  for (unsigned char c : old.beyond) EXPECT_EQ(c, 0xA5);
}

TEST(SizedStruct, LeavesANewerCallersExtraMembersAsInitialised) {
  struct Newer {
    std::size_t struct_size;
    std::uint64_t a, b, c;
  } newer{sizeof(Newer), 0, 0, 0};
  const Current full{0, 7, 9};
  ASSERT_EQ(otc::fill_sized(full, reinterpret_cast<Current*>(&newer)), OTC_SUCCESS);
  EXPECT_EQ(newer.struct_size, sizeof(Newer));
  EXPECT_EQ(newer.a, 7u);
  EXPECT_EQ(newer.b, 9u);
  EXPECT_EQ(newer.c, 0u);
}

TEST(SizedStruct, RefusesAMissingSize) {
  Current out{};
  std::memset(&out.a, 0xA5, sizeof out - sizeof out.struct_size);
  EXPECT_EQ(otc::fill_sized(Current{0, 1, 2}, &out), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(out.a, 0xA5A5A5A5A5A5A5A5u);
  out.struct_size = sizeof(std::size_t) - 1;
  EXPECT_EQ(otc::fill_sized(Current{0, 1, 2}, &out), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc::fill_sized(Current{0, 1, 2}, static_cast<Current*>(nullptr)), OTC_ERR_INVALID_PARAM);
}

}  // namespace
