// Small helpers shared by the unit tests.
#pragma once

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>

namespace slt::test {

// The six required keys of a valid manifest, one per line (lines 1-6).
inline QString requiredKeys(const QString& id = QStringLiteral("org.example.sampler.mine"))
{
    return QStringLiteral("id = \"%1\"\n"
                          "name = \"Mine\"\n"
                          "version = \"1.0.0\"\n"
                          "kind = \"sampler\"\n"
                          "library = \"mine.so\"\n"
                          "sdk_abi = \"1.0\"\n")
        .arg(id);
}

inline void writeFile(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

} // namespace slt::test
