# Writes the version header at build time (not configure time), so every
# binary and every HDF5 file it writes names the commit it was built from;
# "-dirty" marks uncommitted changes. The file is replaced only when its text
# changes, so an unchanged revision rebuilds nothing.
# Inputs: SRC (source dir), IN (template), OUT (header), VERSION.
execute_process(COMMAND git rev-parse --short HEAD WORKING_DIRECTORY ${SRC}
  OUTPUT_VARIABLE SUANWANG_GIT_REV OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT SUANWANG_GIT_REV)
  set(SUANWANG_GIT_REV "unknown")
else()
  execute_process(COMMAND git diff --quiet HEAD -- WORKING_DIRECTORY ${SRC} RESULT_VARIABLE dirty ERROR_QUIET)
  if(NOT dirty EQUAL 0)
    string(APPEND SUANWANG_GIT_REV "-dirty")
  endif()
endif()
set(SUANWANG_VERSION ${VERSION})
configure_file(${IN} ${OUT}.tmp @ONLY)
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
file(REMOVE ${OUT}.tmp)
