# Embeds templates/*.mustache into the binary, so schema-advisor works wherever it is copied;
# `--templates DIR` still overrides them file by file at run time.
# Run as: cmake -DTEMPLATE_DIR=... -DOUTPUT=... -P embed_templates.cmake
file(GLOB templates RELATIVE ${TEMPLATE_DIR} ${TEMPLATE_DIR}/*.mustache)
list(SORT templates)
set(content "// Generated from templates/*.mustache by cmake/embed_templates.cmake. Do not edit.\n")
string(APPEND content "#include \"advisor/render/templates.hpp\"\n\nnamespace advisor {\n\n")
string(APPEND content "const std::map<std::string, std::string>& builtin_templates() {\n")
string(APPEND content "    static const std::map<std::string, std::string> templates = {\n")
foreach(name ${templates})
  file(READ ${TEMPLATE_DIR}/${name} text)
  string(APPEND content "        {\"${name}\", R\"__template__(${text})__template__\"},\n")
endforeach()
string(APPEND content "    };\n    return templates;\n}\n\n} // namespace advisor\n")
file(WRITE ${OUTPUT}.tmp "${content}")
# Only touch the output when it changed, so unchanged templates do not trigger rebuilds.
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUTPUT}.tmp ${OUTPUT})
file(REMOVE ${OUTPUT}.tmp)
