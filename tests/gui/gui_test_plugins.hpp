// Plugin folders for the GUI tests. Manifest-only plugins are written into a temporary folder, so
// every state that needs no library (manifest invalid, incompatible, dependency missing, load failed,
// shadowed) appears with a known id; the real plugins built by the project (the random sampler, the
// init-error fixture) are added when the build has them.
#pragma once

#include <slt/core/plugin_manager.hpp>

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace slt::test {

// Ids of the manifest-only plugins.
inline const QString futureAbiId = QStringLiteral("org.slt.guitest.future_abi");
inline const QString needsDependencyId = QStringLiteral("org.slt.guitest.needs_dependency");
inline const QString absentDependencyId = QStringLiteral("org.slt.guitest.absent");
inline const QString settingsDemoId = QStringLiteral("org.slt.guitest.settings_demo");
inline const QString randomSamplerId = QStringLiteral("org.slt.sampler.random");

class GuiTestPlugins {
public:
    GuiTestPlugins();

    bool isValid() const { return m_root.isValid(); }
    // First folder: the manifest-only plugins; second: a copy of settings_demo (shadowed); then the
    // bundled plugin folder and the init-error fixture scenario when they were built.
    QStringList searchPath() const;
    core::PluginManagerOptions options() const;
    QString stateDirectory() const { return m_root.filePath(QStringLiteral("state")); }

    static bool hasRandomSampler();
    static bool hasInitErrorFixture();
    // The id the init-error fixture declares (read from its manifest, so the test does not depend
    // on how the fixture's author spelled it).
    static QString initErrorFixtureId();

private:
    void writeManifest(const QString& folder, const QString& text);

    QTemporaryDir m_root;
};

} // namespace slt::test
