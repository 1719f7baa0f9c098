# OpenTok Linux SDK source compatibility (docs/OPENTOK-COMPAT.md): the pkg-config module
# libopentok for the build tree and for an installed tree, install rules, and the tests that
# compile OpenTok-style programs through that module only.
include(GNUInstallDirs)

# Build tree: headers from the source tree, libotc.so where this build writes it (with an RPATH
# so the programs run from the build tree without LD_LIBRARY_PATH).
file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/pkgconfig/libopentok.pc CONTENT
"includedir=${CMAKE_CURRENT_SOURCE_DIR}/include
libdir=$<TARGET_FILE_DIR:otc>

Name: libopentok
Description: otc-e2ee (build tree): OpenTok Linux SDK compatible C API (opentok.h)
Version: ${PROJECT_VERSION}
Cflags: -I\${includedir}
Libs: -L\${libdir} -Wl,-rpath,\${libdir} -lotc
")

# Installed tree: <prefix>/lib/pkgconfig/libopentok.pc next to libotc.so and include/opentok.h.
file(RELATIVE_PATH OTC_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" OTC_PC_TO_PREFIX "${OTC_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/libopentok.pc.in ${CMAKE_BINARY_DIR}/install/libopentok.pc @ONLY)
install(TARGETS otc LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${CMAKE_BINARY_DIR}/install/libopentok.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The OpenTok-style programs (test/opentok_compat) build as a project of their own that finds
# this library through pkg-config only, as the SDK's samples do. Native Linux builds only: the
# sanitizer build's libotc.so needs the sanitizer runtime the programs are not built with.
find_program(OTC_PKG_CONFIG pkg-config)
if(BUILD_TESTING AND OTC_PKG_CONFIG AND CMAKE_SYSTEM_NAME STREQUAL "Linux" AND NOT CMAKE_CROSSCOMPILING
   AND NOT OTC_SANITIZE)
  include(ExternalProject)
  set(compat_src ${CMAKE_CURRENT_SOURCE_DIR}/test/opentok_compat)
  set(compat_env ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${CMAKE_BINARY_DIR}/pkgconfig)
  ExternalProject_Add(opentok_compat
    SOURCE_DIR ${compat_src}
    BINARY_DIR ${CMAKE_BINARY_DIR}/opentok_compat
    CMAKE_COMMAND ${compat_env} ${CMAKE_COMMAND}
    CMAKE_ARGS -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER} -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
               -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
               # (the samples link with -lotc: an RPATH lets them run from the build tree as they are)
               -DCMAKE_EXE_LINKER_FLAGS=-Wl,-rpath,$<TARGET_FILE_DIR:otc>
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    DEPENDS otc)

  # Compile-only checks through `pkg-config --cflags libopentok` (cmake/CompileWithPkgConfig.cmake):
  # the samples' constructs compile with -Werror, and the previous argument order of
  # otc_publisher_new is an error in C (not a warning that would read callbacks as settings).
  foreach(check samples_constructs:PASS wrong_publisher_args:FAIL)
    string(REPLACE ":" ";" parts ${check})
    list(GET parts 0 source)
    list(GET parts 1 expect)
    add_test(NAME opentok_compat.${source}
      COMMAND ${CMAKE_COMMAND} -DCC=${CMAKE_C_COMPILER} -DPKG_CONFIG=${OTC_PKG_CONFIG}
              -DPKG_CONFIG_PATH=${CMAKE_BINARY_DIR}/pkgconfig -DSOURCE=${compat_src}/compile_only/${source}.c
              -DEXPECT=${expect} -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/CompileWithPkgConfig.cmake)
  endforeach()
  # The installed tree's module: install into a scratch prefix, then compile and link the C
  # program through that prefix's libopentok.pc alone.
  add_test(NAME opentok_compat.installed_tree
    COMMAND ${CMAKE_COMMAND} -DCC=${CMAKE_C_COMPILER} -DPKG_CONFIG=${OTC_PKG_CONFIG}
            -DINSTALL_FROM=${CMAKE_BINARY_DIR} -DPREFIX=${CMAKE_BINARY_DIR}/opentok_install_check
            -DLIBDIR=${CMAKE_INSTALL_LIBDIR} -DSOURCE=${compat_src}/signaling_compat.c -DEXPECT=PASS
            -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/CompileWithPkgConfig.cmake)
  set_tests_properties(opentok_compat.installed_tree PROPERTIES PASS_REGULAR_EXPRESSION "LINKED")
  set_tests_properties(opentok_compat.wrong_publisher_args PROPERTIES
    PASS_REGULAR_EXPRESSION "EXPECTED FAILURE: .*incompatible-pointer-types")
  set_tests_properties(opentok_compat.samples_constructs PROPERTIES PASS_REGULAR_EXPRESSION "COMPILED")
elseif(BUILD_TESTING AND NOT OTC_PKG_CONFIG)
  message(WARNING "pkg-config not found: the OpenTok-style programs and their tests are not built "
                  "(java-api's OpenTokCompatIT will fail); install pkg-config")
endif()
