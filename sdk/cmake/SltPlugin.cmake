# slt_add_plugin(<name> SOURCES <files...> [MANIFEST <plugin.toml>] [LINK <targets...>]
#                [OUTPUT_DIR <dir>] [INSTALL_DIR <dir>] [COMPONENT <component>] [NO_INSTALL]
#                [ALLOW_UNDEFINED])
#
# Builds one SLT plugin as a MODULE library named <name>.so with hidden visibility, so that only the
# entry symbol `slt_plugin_entry_v1` (marked SLT_EXPORT) is exported, and copies its manifest beside it:
#   <OUTPUT_DIR>/<name>/<name>.so
#   <OUTPUT_DIR>/<name>/plugin.toml
# OUTPUT_DIR defaults to SLT_PLUGIN_OUTPUT_DIR (the host's build-tree plugin folder) or, out of tree,
# ${CMAKE_BINARY_DIR}/plugins. Installs to <INSTALL_DIR>/<name>/ (default SLT_PLUGIN_INSTALL_DIR or
# lib/slt/plugins) unless NO_INSTALL. The manifest's `library` field must read "<name>.so".
include_guard(GLOBAL)

function(slt_add_plugin name)
  cmake_parse_arguments(ARG "NO_INSTALL;ALLOW_UNDEFINED" "MANIFEST;OUTPUT_DIR;INSTALL_DIR;COMPONENT" "SOURCES;LINK" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "slt_add_plugin(${name}): SOURCES is required")
  endif()
  if(NOT ARG_MANIFEST)
    set(ARG_MANIFEST ${CMAKE_CURRENT_SOURCE_DIR}/plugin.toml)
  endif()
  if(NOT ARG_OUTPUT_DIR)
    if(SLT_PLUGIN_OUTPUT_DIR)
      set(ARG_OUTPUT_DIR ${SLT_PLUGIN_OUTPUT_DIR})
    else()
      set(ARG_OUTPUT_DIR ${CMAKE_BINARY_DIR}/plugins)
    endif()
  endif()
  if(NOT ARG_INSTALL_DIR)
    if(SLT_PLUGIN_INSTALL_DIR)
      set(ARG_INSTALL_DIR ${SLT_PLUGIN_INSTALL_DIR})
    else()
      set(ARG_INSTALL_DIR lib/slt/plugins)
    endif()
  endif()
  if(NOT ARG_COMPONENT)
    set(ARG_COMPONENT plugins)
  endif()

  set(dir ${ARG_OUTPUT_DIR}/${name})
  add_library(${name} MODULE ${ARG_SOURCES})
  if(TARGET Slt::sdk)
    target_link_libraries(${name} PRIVATE Slt::sdk)
  endif()
  if(ARG_LINK)
    target_link_libraries(${name} PRIVATE ${ARG_LINK})
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${dir}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Unresolved symbols are a build error, not a load-time surprise (except under sanitizers, whose
  # runtime lives in the executable, and for test fixtures that must fail at load time).
  if(NOT SLT_SANITIZE AND NOT ARG_ALLOW_UNDEFINED)
    target_link_options(${name} PRIVATE -Wl,--no-undefined)
  endif()
  # Hidden visibility still exports the std:: template instances the headers mark visible (and
  # STB_GNU_UNIQUE symbols, which make a library impossible to unload); a version script keeps the
  # entry symbol alone.
  set(map ${CMAKE_BINARY_DIR}/slt_plugin_exports.map)
  file(CONFIGURE OUTPUT ${map} CONTENT "{ global: slt_plugin_entry_v1; local: *; };\n")
  target_link_options(${name} PRIVATE -Wl,--version-script=${map})
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${map})
  configure_file(${ARG_MANIFEST} ${dir}/plugin.toml COPYONLY)
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${name} LIBRARY DESTINATION ${ARG_INSTALL_DIR}/${name} COMPONENT ${ARG_COMPONENT})
    install(FILES ${ARG_MANIFEST} DESTINATION ${ARG_INSTALL_DIR}/${name} COMPONENT ${ARG_COMPONENT})
  endif()
endfunction()
