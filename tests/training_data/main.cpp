// Test runner for the training-data tests. Points every XDG folder of this process at a private temporary
// folder and drops SLT_PLUGIN_PATH before anything runs, so no test touches the user's settings or plugins.
// The QCoreApplication lets QImageReader load its TIFF and JPEG plugins.
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
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("slt-training-data-tests"));
    return Catch::Session().run(argc, argv);
}
