// Catch2 runner for the project store tests (no QCoreApplication: the store needs none).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
