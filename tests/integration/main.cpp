// Test runner for the fixture plugin tests. Before anything else, points every XDG folder of this
// process at a private temporary folder and drops SLT_PLUGIN_PATH, so no test reads or writes the
// user's settings, crash marks or plugins. (ctest runs each test case in its own process; each test
// also gives the plugin manager its own state folder.)
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <QCoreApplication>
#include <QTemporaryDir>

#include <cstdlib>

int main(int argc, char** argv)
{
    QTemporaryDir home;
    if (!home.isValid())
        return 2;
    for (const char* variable : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        setenv(variable, home.filePath(QString::fromLatin1(variable)).toLocal8Bit().constData(), 1);
    unsetenv("SLT_PLUGIN_PATH");
    // The plugin manager may ask for application paths; a core application needs no display.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("slt-fixture-tests"));
    return Catch::Session().run(argc, argv);
}
