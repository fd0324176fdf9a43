// Catch2 runner for test programs that use Qt's paths or the plugin manager: before anything runs, every XDG folder
// of the process points at a private temporary folder and SLT_PLUGIN_PATH is dropped, so no test reads or writes the
// user's settings, crash marks or plugins (ctest runs each test case in its own process). A core application is
// created (the plugin manager may ask for application paths; it needs no display), named after the executable.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <QCoreApplication>
#include <QFileInfo>
#include <QTemporaryDir>

int main(int argc, char** argv)
{
    QTemporaryDir home;
    if (!home.isValid())
        return 2;
    for (const char* variable : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        qputenv(variable, home.filePath(QString::fromLatin1(variable)).toUtf8());
    qunsetenv("SLT_PLUGIN_PATH");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QFileInfo(QString::fromLocal8Bit(argv[0])).baseName());
    return Catch::Session().run(argc, argv);
}
