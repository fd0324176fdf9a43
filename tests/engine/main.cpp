// Catch2 runner for the labelling engine tests (no QCoreApplication: the engine needs none).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
