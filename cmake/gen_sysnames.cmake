# SPDX-License-Identifier: Apache-2.0
# gen_sysnames.cmake: turn asm-generic/unistd.h (the arm64 syscall table) into a C name table.
# Usage: cmake -DIN=<unistd.h> -DOUT=<sysnames.h> -P gen_sysnames.cmake
file(STRINGS ${IN} lines REGEX "^#define __NR(3264)?_[a-z0-9_]+[ \t]+[0-9]+")
set(body "")
foreach(l ${lines})
  string(REGEX REPLACE "^#define __NR(3264)?_([a-z0-9_]+)[ \t]+([0-9]+).*" "\\2;\\3" pair "${l}")
  list(GET pair 0 name)
  list(GET pair 1 nr)
  if(name STREQUAL "syscalls" OR name STREQUAL "arch_specific_syscall")
    continue()
  endif()
  # Later definitions win: in the header the #else branch (arm64's choice) comes last.
  set(name_${nr} ${name})
  list(APPEND nrs ${nr})
endforeach()
list(REMOVE_DUPLICATES nrs)
foreach(nr ${nrs})
  string(APPEND body "\t[${nr}] = \"${name_${nr}}\",\n")
endforeach()
file(WRITE ${OUT} "/* sysnames.h: generated from ${IN} by cmake/gen_sysnames.cmake; do not edit. */\n"
  "static const char *const wf_sysnames[] = {\n${body}};\n")
