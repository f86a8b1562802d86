# Fails the build when a file under parsers/ includes anything from advisor/ (design.md: the
# readers and the models they produce sit below the advisor; the arrow runs one way).
# Run as: cmake -DSOURCE_DIR=<tree> -P cmake/check_layers.cmake
file(GLOB_RECURSE parser_files ${SOURCE_DIR}/parsers/*.hpp ${SOURCE_DIR}/parsers/*.cpp
     ${SOURCE_DIR}/parsers/*.h ${SOURCE_DIR}/parsers/*.c)
set(offenders "")
foreach(path ${parser_files})
  file(STRINGS ${path} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]advisor/")
  foreach(line ${lines})
    file(RELATIVE_PATH relative ${SOURCE_DIR} ${path})
    string(STRIP "${line}" line)
    list(APPEND offenders "${relative}: ${line}")
  endforeach()
endforeach()
if(offenders)
  list(JOIN offenders "\n  " listing)
  message(FATAL_ERROR "parsers/ must not include advisor/ (design.md, data flow):\n  ${listing}\n"
                      "Move what the reader needs down into parsers/.")
endif()
