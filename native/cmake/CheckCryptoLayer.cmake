# CTest script (layers.crypto_core_alone, docs/ARCHITECTURE.md "Layers"): the crypto core's archive
# (otc_crypto_static) must neither define nor reference anything of the session client's world
# (Asio, libssl/TLS, sockets and name resolution, threads it would start, the codecs, otc::client),
# and the client's sources (src/session/, src/media/) must not reach into src/ by a relative
# include: their include path gives them the public headers, src/common/ and src/internal/ only.
find_program(NM nm REQUIRED)

execute_process(COMMAND ${NM} -C ${ARCHIVE} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc ERROR_VARIABLE nm_error)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${ARCHIVE}: ${rc} ${nm_error}")
endif()
string(REPLACE "\n" ";" lines "${symbols}")
set(checked 0)
foreach(line ${lines})
  if(NOT line MATCHES "^[0-9a-fA-F ]+ ([A-Za-z]) (.+)$")
    continue()
  endif()
  set(name "${CMAKE_MATCH_2}")
  math(EXPR checked "${checked} + 1")
  if(name MATCHES "asio|otc::client|^(SSL|TLS|DTLS)_|^(socket|connect|getaddrinfo|pthread_create)$|^(vpx_|opus_|WelsCreate)|libyuv")
    message(FATAL_ERROR "the crypto core (${ARCHIVE}) refers to the client layer: ${line}")
  endif()
endforeach()
if(checked LESS 100)
  message(FATAL_ERROR "only ${checked} symbols in ${ARCHIVE}: not the crypto core archive?")
endif()

file(GLOB_RECURSE client_sources ${SRC}/session/*.cpp ${SRC}/session/*.h ${SRC}/session/*.hpp
                                 ${SRC}/media/*.cpp ${SRC}/media/*.hpp)
foreach(source ${client_sources})
  file(STRINGS ${source} escapes REGEX "^#include \"\\.\\./")
  if(escapes)
    message(FATAL_ERROR "${source} includes a crypto-core internal by path: ${escapes}")
  endif()
endforeach()
message(STATUS "crypto core: ${checked} symbols, none of the client layer; client sources include no core internals")
