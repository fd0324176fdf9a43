#include <catch2/catch.hpp>

#include <slt/core/plugin_settings.hpp>

#include <QSettings>
#include <QTemporaryDir>

using namespace slt::core;

namespace {

SettingSpec spec(const char* type)
{
    SettingSpec s;
    s.key = QStringLiteral("k");
    s.label = QStringLiteral("K");
    s.type = QString::fromLatin1(type);
    return s;
}

} // namespace

TEST_CASE("settings: int values are whole numbers within min and max", "[settings]")
{
    SettingSpec s = spec("int");
    s.minimum = qlonglong(0);
    s.maximum = qlonglong(10);
    QString error;
    CHECK(validateSettingValue(s, 5, &error) == QVariant(qlonglong(5)));
    CHECK(validateSettingValue(s, QStringLiteral("7"), &error) == QVariant(qlonglong(7)));
    CHECK(validateSettingValue(s, 3.0, &error) == QVariant(qlonglong(3)));
    CHECK_FALSE(validateSettingValue(s, 2.5, &error));
    CHECK(error.contains(QStringLiteral("whole number")));
    CHECK_FALSE(validateSettingValue(s, 11, &error));
    CHECK(error == QStringLiteral("'k' must be at most 10, got 11"));
    CHECK_FALSE(validateSettingValue(s, -1, &error));
    CHECK(error == QStringLiteral("'k' must be at least 0, got -1"));
    CHECK_FALSE(validateSettingValue(s, QStringLiteral("seven"), &error));
}

TEST_CASE("settings: float, bool, string, path and choice values", "[settings]")
{
    SettingSpec f = spec("float");
    f.maximum = 1.0;
    QString error;
    CHECK(validateSettingValue(f, 0.25, &error) == QVariant(0.25));
    CHECK(validateSettingValue(f, 1, &error) == QVariant(1.0));
    CHECK_FALSE(validateSettingValue(f, 1.5, &error));
    CHECK_FALSE(validateSettingValue(f, QStringLiteral("nan"), &error));

    const SettingSpec b = spec("bool");
    CHECK(validateSettingValue(b, true, &error) == QVariant(true));
    CHECK(validateSettingValue(b, QStringLiteral("false"), &error) == QVariant(false));
    CHECK_FALSE(validateSettingValue(b, 1, &error));

    CHECK(validateSettingValue(spec("string"), QStringLiteral("x"), &error) == QVariant(QStringLiteral("x")));
    CHECK(validateSettingValue(spec("path"), QStringLiteral("/tmp"), &error) == QVariant(QStringLiteral("/tmp")));
    CHECK_FALSE(validateSettingValue(spec("string"), 3, &error));

    SettingSpec c = spec("choice");
    c.choices = {QStringLiteral("fast"), QStringLiteral("exact")};
    CHECK(validateSettingValue(c, QStringLiteral("exact"), &error) == QVariant(QStringLiteral("exact")));
    CHECK_FALSE(validateSettingValue(c, QStringLiteral("slow"), &error));
    CHECK(error == QStringLiteral("'k' must be one of fast, exact, got 'slow'"));
}

TEST_CASE("settings: stored values override defaults; invalid stored values are ignored", "[settings]")
{
    PluginManifest m;
    m.id = QStringLiteral("org.example.sampler.x");
    SettingSpec count = spec("int");
    count.key = QStringLiteral("count");
    count.defaultValue = qlonglong(3);
    count.maximum = qlonglong(5);
    SettingSpec name = spec("string");
    name.key = QStringLiteral("name");
    name.defaultValue = QStringLiteral("default");
    SettingSpec flag = spec("bool");
    flag.key = QStringLiteral("flag");
    flag.defaultValue = false;
    m.settings = {count, name, flag};

    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    store.setValue(settingStoreKey(m.id, QStringLiteral("count")), 99); // out of range: ignored
    store.setValue(settingStoreKey(m.id, QStringLiteral("name")), QStringLiteral("mine"));
    store.setValue(settingStoreKey(m.id, QStringLiteral("flag")), true);
    store.sync();
    QSettings reread(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat); // values come back as text

    const QVariantMap values = effectiveSettings(m, reread);
    CHECK(values.value(QStringLiteral("count")) == QVariant(qlonglong(3)));
    CHECK(values.value(QStringLiteral("name")) == QVariant(QStringLiteral("mine")));
    CHECK(values.value(QStringLiteral("flag")) == QVariant(true));
    CHECK(settingStoreKey(m.id, QStringLiteral("count")) == QStringLiteral("plugin/org.example.sampler.x/count"));
}
