# For a cross compiler that must not see the host's /usr/include (mingw-w64: glibc headers there):
# a directory holding only the header-only libraries the build takes from Debian (Asio,
# nlohmann-json, as symlinks), with a copy of nlohmann-json's CMake package files so that its
# imported target points at that directory; GoogleTest is compiled from Debian's source package
# (googletest, /usr/src/googletest) by the main CMakeLists.txt when OTC_GTEST_SOURCE_DIR is set.
get_filename_component(_otc_hh "${CMAKE_CURRENT_LIST_DIR}/../../target/cross-host-headers" ABSOLUTE)
if(NOT EXISTS "${_otc_hh}/share/cmake/nlohmann_json/nlohmann_jsonConfig.cmake")
  file(MAKE_DIRECTORY "${_otc_hh}/include")
  foreach(_otc_entry asio asio.hpp nlohmann)
    if(NOT EXISTS "/usr/include/${_otc_entry}")
      message(FATAL_ERROR "/usr/include/${_otc_entry} missing: install libasio-dev and nlohmann-json3-dev")
    endif()
    file(CREATE_LINK "/usr/include/${_otc_entry}" "${_otc_hh}/include/${_otc_entry}" SYMBOLIC)
  endforeach()
  file(COPY /usr/share/cmake/nlohmann_json DESTINATION "${_otc_hh}/share/cmake")
endif()
set(OTC_ASIO_INCLUDE_DIR "${_otc_hh}/include" CACHE PATH "Asio headers (host-headers.cmake)")
set(nlohmann_json_DIR "${_otc_hh}/share/cmake/nlohmann_json" CACHE PATH "nlohmann-json package (host-headers.cmake)")
set(OTC_GTEST_SOURCE_DIR /usr/src/googletest CACHE PATH "GoogleTest sources built for the target")
