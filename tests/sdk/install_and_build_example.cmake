# cmake -P script: install the SDK component of BUILD_DIR into WORK_DIR/prefix, configure and build
# EXAMPLE_DIR against it in WORK_DIR/build, then run `SLT_CLI plugins validate` on the built plugin
# folder. Fails (non-zero exit) at the first step that fails, with that step's output.
foreach(var BUILD_DIR EXAMPLE_DIR PLUGIN_NAME WORK_DIR GENERATOR CXX_COMPILER SLT_CLI)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_and_build_example.cmake: -D${var}=... is required")
  endif()
endforeach()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${step} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${step}: ok")
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)

run("install the sdk component"
  ${CMAKE_COMMAND} --install ${BUILD_DIR} --component sdk --prefix ${prefix})
if(NOT EXISTS ${prefix}/lib/cmake/SltSdk/SltSdkConfig.cmake)
  message(FATAL_ERROR "the sdk component installed no lib/cmake/SltSdk/SltSdkConfig.cmake")
endif()
run("configure the example"
  ${CMAKE_COMMAND} -S ${EXAMPLE_DIR} -B ${build} -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release)
run("build the example" ${CMAKE_COMMAND} --build ${build})
run("slt-cli plugins validate" ${SLT_CLI} plugins validate ${build}/plugins/${PLUGIN_NAME})
