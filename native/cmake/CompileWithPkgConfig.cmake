# Compiles SOURCE (C, -fsyntax-only) with the flags of `pkg-config --cflags libopentok` and
# -Wall -Wextra -Werror -Werror=incompatible-pointer-types (what docs/OPENTOK-COMPAT.md tells C
# users). EXPECT=PASS: must compile, prints COMPILED. EXPECT=FAIL: must not, prints
# "EXPECTED FAILURE: <diagnostics>" so the test's regex can check why.
set(ENV{PKG_CONFIG_PATH} ${PKG_CONFIG_PATH})
execute_process(COMMAND ${PKG_CONFIG} --cflags libopentok OUTPUT_VARIABLE cflags RESULT_VARIABLE rc
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags libopentok failed (PKG_CONFIG_PATH=${PKG_CONFIG_PATH})")
endif()
separate_arguments(cflags UNIX_COMMAND "${cflags}")
execute_process(COMMAND ${CC} -std=c11 -fsyntax-only -Wall -Wextra -Werror -Werror=incompatible-pointer-types
                        ${cflags} ${SOURCE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(EXPECT STREQUAL "PASS")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${SOURCE} does not compile:\n${out}${err}")
  endif()
  message("COMPILED ${SOURCE}")
else()
  if(rc EQUAL 0)
    message(FATAL_ERROR "${SOURCE} compiled, but must not")
  endif()
  message("EXPECTED FAILURE: ${err}")
endif()
