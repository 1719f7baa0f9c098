/* Export and linkage macros shared by every public header. */
#ifndef OTC_CONFIG_H
#define OTC_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(OTC_BUILDING_LIBRARY)
#    define OTC_API __declspec(dllexport)
#  elif defined(OTC_STATIC)
     /* Linked from the static archive (the native tests): nothing to import. */
#    define OTC_API
#  else
#    define OTC_API __declspec(dllimport)
#  endif
#else
#  define OTC_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
#  define OTC_BEGIN_DECLS extern "C" {
#  define OTC_END_DECLS }
#else
#  define OTC_BEGIN_DECLS
#  define OTC_END_DECLS
#endif

/*
 * OTC_MUST_USE: on a function whose result must be checked (an otc_status that reports a refused
 * frame, a failed key operation, ...). Ignoring it is a compiler warning (an error under -Werror):
 * a dropped decrypt status would hand undecrypted or unauthenticated bytes to the application.
 */
#if defined(__GNUC__) || defined(__clang__)
#  define OTC_MUST_USE __attribute__((warn_unused_result))
#elif defined(_MSC_VER) && _MSC_VER >= 1700
#  include <sal.h>
#  define OTC_MUST_USE _Check_return_
#else
#  define OTC_MUST_USE
#endif

/*
 * Structs the library fills start with `size_t struct_size`, which the caller sets to the size of
 * the struct it was compiled with (each such struct has an OTC_<NAME>_INIT initializer that does
 * it and zeroes the rest). The library writes at most struct_size bytes, so a program built
 * against an older header, with fewer members, is never written past the end of its struct; a
 * struct_size smaller than the member itself is OTC_ERR_INVALID_PARAM.
 */
#ifdef __cplusplus
extern "C++" {
template <typename T>
inline T otc_sized_init() noexcept {
  T s{};
  s.struct_size = sizeof(T);
  return s;
}
}
#  define OTC_SIZED_INIT(type) (otc_sized_init<type>())
#else
#  define OTC_SIZED_INIT(type) { .struct_size = sizeof(type) }
#endif

/* Boolean as int, so the ABI is the same from C, C++, JavaCPP and JNA. */
typedef int otc_bool;
#define OTC_TRUE 1
#define OTC_FALSE 0

#endif /* OTC_CONFIG_H */
