# Compiles SOURCE (C, -fsyntax-only) with the flags of `pkg-config --cflags libopentok` and
# -Wall -Wextra -Werror -Werror=incompatible-pointer-types (what docs/OPENTOK-COMPAT.md tells C
# users). EXPECT=PASS: must compile, prints COMPILED. EXPECT=FAIL: must not, prints
# "EXPECTED FAILURE: <diagnostics>" so the test's regex can check why.
# With INSTALL_FROM (a build tree), PREFIX and LIBDIR: `cmake --install` into PREFIX first, then
# compile and link SOURCE into an executable through PREFIX's module only (prints LINKED).
if(INSTALL_FROM)
  file(REMOVE_RECURSE ${PREFIX})
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${INSTALL_FROM} --prefix ${PREFIX} RESULT_VARIABLE rc OUTPUT_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install ${INSTALL_FROM} failed")
  endif()
  set(PKG_CONFIG_PATH ${PREFIX}/${LIBDIR}/pkgconfig)
endif()
set(ENV{PKG_CONFIG_PATH} ${PKG_CONFIG_PATH})
execute_process(COMMAND ${PKG_CONFIG} --cflags libopentok OUTPUT_VARIABLE cflags RESULT_VARIABLE rc
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags libopentok failed (PKG_CONFIG_PATH=${PKG_CONFIG_PATH})")
endif()
separate_arguments(cflags UNIX_COMMAND "${cflags}")
if(INSTALL_FROM)
  execute_process(COMMAND ${PKG_CONFIG} --libs libopentok OUTPUT_VARIABLE libs OUTPUT_STRIP_TRAILING_WHITESPACE)
  separate_arguments(libs UNIX_COMMAND "${libs}")
  if(NOT cflags MATCHES "${PREFIX}" OR NOT libs MATCHES "${PREFIX}")
    message(FATAL_ERROR "the installed module does not point into ${PREFIX}: ${cflags} ${libs}")
  endif()
  execute_process(COMMAND ${CC} -std=c11 -Wall -Wextra -Werror ${cflags} ${SOURCE} ${libs} -lpthread -o ${PREFIX}/app
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${SOURCE} does not build against the installed tree:\n${out}${err}")
  endif()
  message("LINKED ${PREFIX}/app with ${cflags} ${libs}")
  return()
endif()
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
