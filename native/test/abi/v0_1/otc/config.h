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

/* Boolean as int, so the ABI is the same from C, C++, JavaCPP and JNA. */
typedef int otc_bool;
#define OTC_TRUE 1
#define OTC_FALSE 0

#endif /* OTC_CONFIG_H */
