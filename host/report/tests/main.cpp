// Catch2 runner for the report library. No QGuiApplication here: Catch lists the tests at build time, and
// each test creates the application lazily through requireGui() (image_probe.hpp).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
