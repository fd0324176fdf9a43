// Catch2 runner for slt_core_tests. Points every XDG folder at a private temporary directory first, so
// QSettings and QStandardPaths never touch the real user's configuration or plugin state.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <QCoreApplication>
#include <QTemporaryDir>

int main(int argc, char** argv)
{
    QTemporaryDir home;
    for (const char* name : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        qputenv(name, (home.path() + QLatin1Char('/') + QLatin1String(name)).toUtf8());
    qunsetenv("SLT_PLUGIN_PATH");
    QCoreApplication app(argc, argv);
    return Catch::Session().run(argc, argv);
}
