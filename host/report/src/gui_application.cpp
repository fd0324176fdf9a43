// ensureGuiApplication(): a QGuiApplication on the offscreen platform for tools without a display.
#include "slt/report/charts.hpp"

#include <QGuiApplication>

namespace slt::report {

namespace {

// QGuiApplication keeps references to argc and argv, so both live as long as the process.
int g_defaultArgc = 1;
char g_defaultName[] = "slt-report";
char* g_defaultArgv[] = {g_defaultName, nullptr};
int g_callerArgc = 0;

// Never destroyed: destroying a QGuiApplication after main() returned is not supported by Qt, and a
// pointer held here keeps leak checkers quiet.
QGuiApplication* g_application = nullptr;

bool createApplication(int& argc, char** argv)
{
    if (QCoreApplication* existing = QCoreApplication::instance())
        return qobject_cast<QGuiApplication*>(existing) != nullptr;
    // No display is needed for QImage painting; honour an explicit choice of the user (e.g. xcb, minimal).
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    g_application = new QGuiApplication(argc, argv);
    return true;
}

} // namespace

bool ensureGuiApplication()
{
    return createApplication(g_defaultArgc, g_defaultArgv);
}

bool ensureGuiApplication(int& argc, char** argv)
{
    g_callerArgc = argc;
    return createApplication(g_callerArgc, argv);
}

} // namespace slt::report
