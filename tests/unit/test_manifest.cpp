#include <catch2/catch.hpp>

#include "test_support.hpp"

#include <slt/core/plugin_manifest.hpp>

#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>

using slt::core::readManifest;
using slt::test::requiredKeys;

namespace {

struct Parsed {
    QString path;
    slt::core::ManifestResult result;
};

Parsed parse(const QString& text)
{
    static QTemporaryDir dir;
    static int counter = 0;
    const QString path = dir.filePath(QStringLiteral("m%1/plugin.toml").arg(++counter));
    slt::test::writeFile(path, text.toUtf8());
    return {path, readManifest(path)};
}

// Asserts that `text` is rejected at line:column with a message containing `fragment`.
void expectError(const QString& text, int line, int column, const QString& fragment)
{
    const Parsed parsed = parse(text);
    INFO("error: " << parsed.result.error.toStdString());
    REQUIRE_FALSE(parsed.result.manifest.has_value());
    CHECK(parsed.result.error.startsWith(QStringLiteral("%1:%2:%3: ").arg(parsed.path).arg(line).arg(column)));
    CHECK(parsed.result.error.contains(fragment));
}

} // namespace

TEST_CASE("manifest: a complete manifest is read field by field", "[manifest]")
{
    const Parsed parsed = parse(requiredKeys() + QStringLiteral(
        "description = \"Picks things\"\n"
        "license = \"MIT\"\n"
        "heavy_runtime = true\n"
        "services = [\"slt.log/1\", \"slt.settings/1\"]\n"
        "[[dependencies]]\n"
        "id = \"org.example.metric.entropy\"\n"
        "version = \">=1.2.0\"\n"
        "[[dependencies]]\n"
        "id = \"org.example.metric.bald\"\n"
        "[[settings]]\n"
        "key = \"seed_offset\"\n"
        "label = \"Seed offset\"\n"
        "type = \"int\"\n"
        "default = 3\n"
        "min = 0\n"
        "max = 10\n"
        "description = \"tip\"\n"
        "[[settings]]\n"
        "key = \"mode\"\n"
        "label = \"Mode\"\n"
        "type = \"choice\"\n"
        "choices = [\"fast\", \"exact\"]\n"
        "default = \"exact\"\n"
        "[[settings]]\n"
        "key = \"weight\"\n"
        "label = \"Weight\"\n"
        "type = \"float\"\n"
        "default = 1\n"));
    INFO(parsed.result.error.toStdString());
    REQUIRE(parsed.result.manifest.has_value());
    const slt::core::PluginManifest& m = *parsed.result.manifest;
    CHECK(m.id == QStringLiteral("org.example.sampler.mine"));
    CHECK(m.name == QStringLiteral("Mine"));
    CHECK(m.version == QStringLiteral("1.0.0"));
    CHECK(m.kind == QStringLiteral("sampler"));
    CHECK(m.library == QStringLiteral("mine.so"));
    CHECK(m.sdkAbiMajor == 1);
    CHECK(m.sdkAbiMinor == 0);
    CHECK(m.description == QStringLiteral("Picks things"));
    CHECK(m.license == QStringLiteral("MIT"));
    CHECK(m.heavyRuntime);
    CHECK(m.requiredServices == QStringList{QStringLiteral("slt.log/1"), QStringLiteral("slt.settings/1")});
    REQUIRE(m.dependencies.size() == 2);
    CHECK(m.dependencies[0].id == QStringLiteral("org.example.metric.entropy"));
    CHECK(m.dependencies[0].minimumVersion == QStringLiteral("1.2.0"));
    CHECK(m.dependencies[1].minimumVersion.isEmpty());
    REQUIRE(m.settings.size() == 3);
    CHECK(m.settings[0].key == QStringLiteral("seed_offset"));
    CHECK(m.settings[0].defaultValue == QVariant(qlonglong(3)));
    CHECK(m.settings[0].minimum == QVariant(qlonglong(0)));
    CHECK(m.settings[0].maximum == QVariant(qlonglong(10)));
    CHECK(m.settings[0].description == QStringLiteral("tip"));
    CHECK(m.settings[1].choices == QStringList{QStringLiteral("fast"), QStringLiteral("exact")});
    CHECK(m.settings[1].defaultValue == QVariant(QStringLiteral("exact")));
    CHECK(m.settings[2].defaultValue.typeId() == QMetaType::Double);
    CHECK(m.settings[2].defaultValue.toDouble() == 1.0);
}

TEST_CASE("manifest: optional keys have defaults", "[manifest]")
{
    const Parsed parsed = parse(requiredKeys() + QStringLiteral("[[settings]]\nkey = \"flag\"\nlabel = \"Flag\"\ntype = \"bool\"\n"));
    REQUIRE(parsed.result.manifest.has_value());
    const slt::core::PluginManifest& m = *parsed.result.manifest;
    CHECK_FALSE(m.heavyRuntime);
    CHECK(m.dependencies.empty());
    CHECK(m.requiredServices.isEmpty());
    CHECK(m.description.isEmpty());
    REQUIRE(m.settings.size() == 1);
    CHECK(m.settings[0].defaultValue == QVariant(false));
}

TEST_CASE("manifest: a TOML syntax error reports where it is", "[manifest]")
{
    expectError(QStringLiteral("id = \"org.example.sampler.mine\"\nname = \"unterminated\n"), 2, 21, QStringLiteral("TOML syntax error"));
    expectError(QStringLiteral("id = \"org.example.sampler.mine\"\n\nkind = sampler\n"), 3, 8, QStringLiteral("TOML syntax error"));
}

TEST_CASE("manifest: an unreadable file is an error, not a crash", "[manifest]")
{
    const slt::core::ManifestResult result = readManifest(QStringLiteral("/nonexistent/folder/plugin.toml"));
    CHECK_FALSE(result.manifest.has_value());
    CHECK(result.error.startsWith(QStringLiteral("/nonexistent/folder/plugin.toml:1:1: cannot read the manifest")));
}

TEST_CASE("manifest: missing required keys point at the table that lacks them", "[manifest]")
{
    for (const char* key : {"id", "name", "version", "kind", "library", "sdk_abi"}) {
        QStringList lines = requiredKeys().split(QLatin1Char('\n'));
        lines.erase(std::remove_if(lines.begin(), lines.end(),
                                   [key](const QString& line) { return line.startsWith(QLatin1String(key) + QLatin1Char(' ')); }),
                    lines.end());
        INFO("missing " << key);
        expectError(lines.join(QLatin1Char('\n')), 1, 1, QStringLiteral("missing required key '%1'").arg(QLatin1String(key)));
    }
}

TEST_CASE("manifest: wrong types and bad values of top-level keys", "[manifest]")
{
    const QString rest = QStringLiteral("name = \"Mine\"\nversion = \"1.0.0\"\nkind = \"sampler\"\nlibrary = \"mine.so\"\nsdk_abi = \"1.0\"\n");
    expectError(QStringLiteral("id = 5\n") + rest, 1, 6, QStringLiteral("'id' must be a string"));
    expectError(QStringLiteral("id = \"Not An Id\"\n") + rest, 1, 6, QStringLiteral("reverse-DNS"));
    expectError(QStringLiteral("id = \"single\"\n") + rest, 1, 6, QStringLiteral("reverse-DNS"));

    const QString head = QStringLiteral("id = \"org.example.sampler.mine\"\nname = \"Mine\"\n");
    expectError(head + QStringLiteral("version = \"1.0\"\nkind = \"sampler\"\nlibrary = \"mine.so\"\nsdk_abi = \"1.0\"\n"), 3, 11,
                QStringLiteral("semantic version"));
    expectError(head + QStringLiteral("version = \"1.0.0\"\nkind = \"gizmo\"\nlibrary = \"mine.so\"\nsdk_abi = \"1.0\"\n"), 4, 8,
                QStringLiteral("unknown kind \"gizmo\""));
    expectError(head + QStringLiteral("version = \"1.0.0\"\nkind = \"sampler\"\nlibrary = \"../mine.so\"\nsdk_abi = \"1.0\"\n"), 5, 11,
                QStringLiteral("without folders"));
    expectError(head + QStringLiteral("version = \"1.0.0\"\nkind = \"sampler\"\nlibrary = \"mine.so\"\nsdk_abi = \"1\"\n"), 6, 11,
                QStringLiteral("MAJOR.MINOR"));
    expectError(head + QStringLiteral("version = \"1.0.0\"\nkind = \"sampler\"\nlibrary = \"mine.so\"\nsdk_abi = 1.0\n"), 6, 11,
                QStringLiteral("'sdk_abi' must be a string"));
    expectError(requiredKeys() + QStringLiteral("heavy_runtime = \"yes\"\n"), 7, 17, QStringLiteral("true or false"));
    expectError(requiredKeys() + QStringLiteral("services = [\"slt.log\"]\n"), 7, 13, QStringLiteral("service id with revision"));
    expectError(requiredKeys() + QStringLiteral("services = \"slt.log/1\"\n"), 7, 12, QStringLiteral("'services' must be an array"));
}

TEST_CASE("manifest: bad dependency entries", "[manifest]")
{
    expectError(requiredKeys() + QStringLiteral("[[dependencies]]\nversion = \">=1.0.0\"\n"), 7, 1,
                QStringLiteral("missing required key 'id'"));
    expectError(requiredKeys() + QStringLiteral("[[dependencies]]\nid = \"org.example.metric.x\"\nversion = \"<2.0.0\"\n"), 9, 11,
                QStringLiteral("minimum"));
    expectError(requiredKeys() + QStringLiteral("dependencies = [\"org.example.metric.x\"]\n"), 7, 17,
                QStringLiteral("[[dependencies]]"));
}

TEST_CASE("manifest: bad settings entries", "[manifest]")
{
    const QString setting = requiredKeys() + QStringLiteral("[[settings]]\n"); // the entry starts on line 7
    expectError(setting + QStringLiteral("label = \"L\"\ntype = \"int\"\n"), 7, 1, QStringLiteral("missing required key 'key'"));
    expectError(setting + QStringLiteral("key = \"Bad-Key\"\nlabel = \"L\"\ntype = \"int\"\n"), 8, 7, QStringLiteral("a-z, 0-9"));
    expectError(setting + QStringLiteral("key = \"k\"\ntype = \"int\"\n"), 7, 1, QStringLiteral("missing required key 'label'"));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"colour\"\n"), 10, 8,
                QStringLiteral("unknown setting type \"colour\""));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"int\"\ndefault = \"3\"\n"), 11, 11,
                QStringLiteral("must be an integer"));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"int\"\ndefault = 1.5\n"), 11, 11,
                QStringLiteral("must be an integer"));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"bool\"\ndefault = 1\n"), 11, 11,
                QStringLiteral("true or false"));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"string\"\ndefault = 1\n"), 11, 11,
                QStringLiteral("must be a string"));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"int\"\nmin = 5\nmax = 1\n"), 11, 7,
                QStringLiteral("min 5 greater than max 1"));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"float\"\nmin = 0.0\nmax = 1.0\ndefault = 2.0\n"), 13, 11,
                QStringLiteral("outside [0, 1]"));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"string\"\nmin = 1\n"), 11, 7,
                QStringLiteral("only allowed for int and float"));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"choice\"\n"), 7, 1, QStringLiteral("needs choices"));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"choice\"\nchoices = [\"a\", 2]\n"), 11, 17,
                QStringLiteral("strings only"));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"choice\"\nchoices = [\"a\"]\ndefault = \"b\"\n"), 12, 11,
                QStringLiteral("not one of its choices"));
    expectError(setting + QStringLiteral("key = \"k\"\nlabel = \"L\"\ntype = \"int\"\n[[settings]]\nkey = \"k\"\nlabel = \"M\"\ntype = \"int\"\n"),
                12, 7, QStringLiteral("appears twice"));
}
