# SPDX-License-Identifier: Apache-2.0
# Build helpers: Check unit tests, tests that run in the ARM64 machine, and guest programs.

# Every test that needs ARM64 Linux with KVM goes through this wrapper. On an arm64 host with
# /dev/kvm it just runs the command; elsewhere it boots the emulated ARM64 machine.
set(WARMFORK_ARM64_RUN ${PROJECT_SOURCE_DIR}/ci/arm64-run)

# warmfork_unit_test(NAME SOURCES... [LIBS libs...])
# An architecture-neutral Check test. It runs natively when the build targets the host, and
# through the ARM64 machine in a cross build.
function(warmfork_unit_test name)
  cmake_parse_arguments(T "" "" "LIBS" ${ARGN})
  add_executable(${name} ${T_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${T_LIBS} PkgConfig::CHECK)
  if(CMAKE_CROSSCOMPILING)
    add_test(NAME ${name} COMMAND ${WARMFORK_ARM64_RUN} $<TARGET_FILE:${name}>)
  else()
    add_test(NAME ${name} COMMAND ${name})
  endif()
  set_tests_properties(${name} PROPERTIES LABELS unit)
endfunction()

# warmfork_arm64_test(NAME COMMAND cmd args... [TIMEOUT sec])
# A test that must run on ARM64 Linux with KVM: always through ci/arm64-run.
function(warmfork_arm64_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "COMMAND" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 600)
  endif()
  add_test(NAME ${name} COMMAND ${WARMFORK_ARM64_RUN} --timeout ${T_TIMEOUT} ${T_COMMAND})
  set_tests_properties(${name} PROPERTIES LABELS arm64 TIMEOUT 900)
endfunction()

# warmfork_host_fuzzer(NAME SOURCES src... [INCLUDES dir...] [DEPENDS file...] SECONDS n
#                      [CORPUS dir] [TIMEOUT sec])
# A libFuzzer target of host code (ASan + UBSan), built natively by clang whatever the build's
# own compiler, only where the build targets the host it runs on. ctest runs it for n seconds
# (fuzz/native_fuzz.sh: a crash fails the test), label unit.
if(NOT CMAKE_CROSSCOMPILING)
  find_program(WARMFORK_HOST_CLANG NAMES clang clang-14)
endif()
function(warmfork_host_fuzzer name)
  cmake_parse_arguments(F "" "SECONDS;CORPUS;TIMEOUT" "SOURCES;INCLUDES;DEPENDS" ${ARGN})
  if(CMAKE_CROSSCOMPILING OR NOT WARMFORK_HOST_CLANG)
    return()
  endif()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name})
  set(incs "")
  foreach(d ${F_INCLUDES})
    list(APPEND incs -I${d})
  endforeach()
  add_custom_command(OUTPUT ${out}
    COMMAND ${WARMFORK_HOST_CLANG} -g -O1 -std=gnu17 -D_GNU_SOURCE
            -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
            ${incs} ${F_SOURCES} -lelf -ldw -o ${out}
    DEPENDS ${F_SOURCES} ${F_DEPENDS}
    COMMENT "Building ${name} (libFuzzer, ASan, UBSan)" VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${out})
  add_test(NAME ${name} COMMAND sh ${PROJECT_SOURCE_DIR}/fuzz/native_fuzz.sh ${name} ${out}
           ${F_SECONDS} ${F_CORPUS})
  if(NOT F_TIMEOUT)
    set(F_TIMEOUT 150)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS unit TIMEOUT ${F_TIMEOUT})
endfunction()

# Guest programs: aarch64 Linux ELF files built with both gcc and clang (static glibc by
# default) whatever the host is. They are not host programs, so they are built with explicit
# compiler invocations rather than as CMake targets of this project's toolchain.
find_program(WARMFORK_GUEST_GCC NAMES aarch64-linux-gnu-gcc REQUIRED)
find_program(WARMFORK_GUEST_CLANG NAMES clang clang-14 REQUIRED)
find_program(WARMFORK_GUEST_AR NAMES aarch64-linux-gnu-ar llvm-ar llvm-ar-14 REQUIRED)
set(WARMFORK_GUEST_CFLAGS -O2 -g -Wall -Wextra -std=gnu17 -fno-omit-frame-pointer)

# warmfork_add_guest(NAME SOURCES src... [DYNAMIC|PIE] [SDK] [CFLAGS f...] [LIBS l...])
# SDK links the guest SDK (guests/sdk: warmfork.h, libwarmfork.<cc>.a).
# PIE builds a static-PIE (glibc relocates itself at start-up).
# Produces ${NAME}.gcc and ${NAME}.clang in the current binary dir, and a target NAME that
# builds both. ${NAME}_GUESTS (in the caller's scope) lists the two files.
function(warmfork_add_guest name)
  cmake_parse_arguments(G "DYNAMIC;PIE;SDK" "" "SOURCES;CFLAGS;LIBS" ${ARGN})
  set(link -static)
  if(G_DYNAMIC)
    set(link "")
  elseif(G_PIE)
    set(link -fPIE -static-pie)
  endif()
  set(srcs "")
  foreach(s ${G_SOURCES})
    get_filename_component(abs ${s} ABSOLUTE)
    list(APPEND srcs ${abs})
  endforeach()
  set(outs "")
  foreach(cc gcc clang)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.${cc})
    set(sdk "")
    set(sdk_dep "")
    if(G_SDK)
      set(sdk -I${PROJECT_SOURCE_DIR}/guests/sdk ${PROJECT_BINARY_DIR}/guests/sdk/libwarmfork.${cc}.a)
      set(sdk_dep ${PROJECT_SOURCE_DIR}/guests/sdk/warmfork.c)
    endif()
    if(cc STREQUAL gcc)
      set(driver ${WARMFORK_GUEST_GCC})
    else()
      set(driver ${WARMFORK_GUEST_CLANG} --target=aarch64-linux-gnu -fuse-ld=lld)
    endif()
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${driver} ${WARMFORK_GUEST_CFLAGS} ${G_CFLAGS} ${link} -o ${out} ${srcs} ${sdk} ${G_LIBS}
      DEPENDS ${srcs} ${sdk_dep}
      COMMENT "Building aarch64 guest ${name}.${cc}"
      VERBATIM)
    list(APPEND outs ${out})
  endforeach()
  add_custom_target(${name} ALL DEPENDS ${outs})
  if(G_SDK)
    add_dependencies(${name} warmfork_sdk)
  endif()
  set(${name}_GUESTS ${outs} PARENT_SCOPE)
endfunction()
