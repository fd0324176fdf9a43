#include "slt/core/class_schema.hpp"

#include <QFile>
#include <QRegularExpression>

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace slt::core {
namespace {

// Matplotlib's tab10 order, as the original SLT coloured class i with tab10[i].
const char* const kTab10[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                              "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

ClassInfo artefact()
{
    return {kArtefactClass, "A", "Artefact", "#404040", "Blur, fold, out of focus, debris, pen mark"};
}

ClassInfo unsure()
{
    return {kUnsureClass, "U", "Unsure", "#b0b0b0", "Ask for a second reading"};
}

// Evenly spread hues (golden angle) at fixed saturation and value, for classes past the defaults.
QString generatedColour(int index)
{
    const double hue = std::fmod(index * 137.507764, 360.0) / 60.0;
    const double s = 0.65, v = 0.85, c = v * s;
    const double x = c * (1 - std::fabs(std::fmod(hue, 2.0) - 1));
    const int sector = static_cast<int>(hue) % 6;
    const double rgb[6][3] = {{c, x, 0}, {x, c, 0}, {0, c, x}, {0, x, c}, {x, 0, c}, {c, 0, x}};
    const double m = v - c;
    auto channel = [&](int i) { return static_cast<int>(std::lround((rgb[sector][i] + m) * 255)); };
    return QStringLiteral("#%1%2%3")
        .arg(channel(0), 2, 16, QLatin1Char('0'))
        .arg(channel(1), 2, 16, QLatin1Char('0'))
        .arg(channel(2), 2, 16, QLatin1Char('0'));
}

QString where(const QString& origin, const toml::source_region& region)
{
    return QStringLiteral("%1:%2:%3").arg(origin).arg(region.begin.line).arg(region.begin.column);
}

QString text(const toml::table& table, const char* key)
{
    if (const auto* value = table.get_as<std::string>(key))
        return QString::fromStdString(value->get());
    return {};
}

Status checkSchema(const std::vector<ClassInfo>& classes, const QString& origin)
{
    std::set<int> ids;
    std::set<QString> keys;
    int tissue = 0;
    for (const ClassInfo& info : classes) {
        if (!ids.insert(info.id).second)
            return Status::failure(QStringLiteral("%1: class id %2 appears twice").arg(origin).arg(info.id));
        if (!info.key.isEmpty() && !keys.insert(info.key.toUpper()).second)
            return Status::failure(QStringLiteral("%1: key '%2' is used by two classes").arg(origin, info.key));
        if (info.id != kArtefactClass && info.id != kUnsureClass && info.id < 0)
            return Status::failure(QStringLiteral("%1: class id %2 is reserved (-1 means unlabelled); use ids 0..C-1, "
                                                  "-2 for unsure or -3 for artefact")
                                       .arg(origin)
                                       .arg(info.id));
        tissue += info.id >= 0 ? 1 : 0;
    }
    if (tissue == 0)
        return Status::failure(QStringLiteral("%1: the schema has no tissue class (id >= 0)").arg(origin));
    for (int id = 0; id < tissue; ++id) {
        if (!ids.count(id))
            return Status::failure(
                QStringLiteral("%1: tissue class ids must be 0..%2 without gaps; %3 is missing").arg(origin).arg(tissue - 1).arg(id));
    }
    return {};
}

} // namespace

ClassSchema ClassSchema::sltDefault()
{
    return withTissueClasses(9);
}

ClassSchema ClassSchema::withTissueClasses(int count)
{
    static const std::pair<const char*, const char*> defaults[] = {
        {"Non-Informative", "Background, adipose tissue, or unclassifiable"},
        {"Tumour", "Lands on a tumour cell"},
        {"Stroma", "Fibroblast, collagen, fibrosis, stromal compartment"},
        {"Necrosis", "Definite necrosis"},
        {"Vessel", "Blood or lymphatic vessel"},
        {"Inflammation", "Lymphocyte foci, neutrophils, giant cells (scattered lymphocytes in stroma are Stroma)"},
        {"Tumour-Lumen", "Lumen of a tumour gland (debris or mucin in it: code the material)"},
        {"Mucin", "Extracellular mucin"},
        {"Muscle", "Smooth or skeletal muscle"},
    };
    ClassSchema schema;
    for (int id = 0; id < count; ++id) {
        ClassInfo info;
        info.id = id;
        info.key = id < 10 ? QString::number(id) : QString();
        if (id < 9) {
            info.name = QString::fromLatin1(defaults[id].first);
            info.description = QString::fromLatin1(defaults[id].second);
        } else {
            info.name = QStringLiteral("Class %1").arg(id);
        }
        info.colour = id < 10 ? QString::fromLatin1(kTab10[id]) : generatedColour(id);
        schema.classes_.push_back(info);
    }
    schema.classes_.push_back(artefact());
    schema.classes_.push_back(unsure());
    return schema;
}

Result<ClassSchema> ClassSchema::fromToml(const QString& tomlText, const QString& origin)
{
    const std::string source = tomlText.toStdString();
    toml::table root;
    try {
        // Debian's toml++ is built with exceptions: a syntax error arrives as parse_error.
        root = toml::parse(source, origin.toStdString());
    } catch (const toml::parse_error& error) {
        return Result<ClassSchema>::failure(
            QStringLiteral("%1: %2").arg(where(origin, error.source()), QString::fromStdString(std::string(error.description()))));
    }
    const toml::array* list = root.get_as<toml::array>("class");
    if (!list || list->empty())
        return Result<ClassSchema>::failure(
            QStringLiteral("%1:1:1: no [[class]] entries; each needs id, name and colour").arg(origin));

    static const QRegularExpression colourPattern(QStringLiteral("^#[0-9a-fA-F]{6}$"));
    ClassSchema schema;
    for (const toml::node& node : *list) {
        const toml::table* entry = node.as_table();
        if (!entry)
            return Result<ClassSchema>::failure(QStringLiteral("%1: 'class' must be an array of tables").arg(where(origin, node.source())));
        const auto* id = entry->get_as<int64_t>("id");
        ClassInfo info;
        info.name = text(*entry, "name");
        info.key = text(*entry, "key");
        info.colour = text(*entry, "colour");
        info.description = text(*entry, "description");
        if (!id)
            return Result<ClassSchema>::failure(QStringLiteral("%1: [[class]] needs an integer 'id'").arg(where(origin, entry->source())));
        info.id = static_cast<int>(id->get());
        if (info.name.isEmpty())
            return Result<ClassSchema>::failure(QStringLiteral("%1: [[class]] needs a 'name'").arg(where(origin, entry->source())));
        if (!colourPattern.match(info.colour).hasMatch())
            return Result<ClassSchema>::failure(
                QStringLiteral("%1: class '%2' needs 'colour' as \"#rrggbb\"").arg(where(origin, entry->source()), info.name));
        if (info.key.size() > 1)
            return Result<ClassSchema>::failure(
                QStringLiteral("%1: class '%2': 'key' must be one character").arg(where(origin, entry->source()), info.name));
        schema.classes_.push_back(info);
    }
    if (Status status = checkSchema(schema.classes_, origin); !status)
        return Result<ClassSchema>::failure(status.error());
    std::stable_sort(schema.classes_.begin(), schema.classes_.end(), [](const ClassInfo& a, const ClassInfo& b) {
        // Tissue classes first in id order, then the special ones: artefact (-3), unsure (-2).
        constexpr int specialsAfter = 1 << 30;
        return (a.id >= 0 ? a.id : specialsAfter + a.id) < (b.id >= 0 ? b.id : specialsAfter + b.id);
    });
    return schema;
}

Result<ClassSchema> ClassSchema::fromTomlFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<ClassSchema>::failure(QStringLiteral("%1: cannot read the class schema: %2").arg(path, file.errorString()));
    return fromToml(QString::fromUtf8(file.readAll()), path);
}

QString ClassSchema::toToml() const
{
    std::ostringstream out;
    for (const ClassInfo& info : classes_) {
        toml::table entry{{"id", info.id}, {"name", info.name.toStdString()}, {"colour", info.colour.toStdString()}};
        if (!info.key.isEmpty())
            entry.insert("key", info.key.toStdString());
        if (!info.description.isEmpty())
            entry.insert("description", info.description.toStdString());
        out << "[[class]]\n" << entry << "\n\n";
    }
    return QString::fromStdString(out.str());
}

std::vector<ClassInfo> ClassSchema::tissueClasses() const
{
    std::vector<ClassInfo> tissue;
    std::copy_if(classes_.begin(), classes_.end(), std::back_inserter(tissue), [](const ClassInfo& c) { return c.id >= 0; });
    return tissue;
}

int ClassSchema::tissueClassCount() const
{
    return static_cast<int>(std::count_if(classes_.begin(), classes_.end(), [](const ClassInfo& c) { return c.id >= 0; }));
}

const ClassInfo* ClassSchema::byId(int id) const
{
    auto it = std::find_if(classes_.begin(), classes_.end(), [id](const ClassInfo& c) { return c.id == id; });
    return it == classes_.end() ? nullptr : &*it;
}

const ClassInfo* ClassSchema::byKey(const QString& key) const
{
    auto it = std::find_if(classes_.begin(), classes_.end(),
                           [&key](const ClassInfo& c) { return !c.key.isEmpty() && c.key.compare(key, Qt::CaseInsensitive) == 0; });
    return it == classes_.end() ? nullptr : &*it;
}

bool ClassSchema::countsAsLabelled(int classId)
{
    return classId >= 0 || classId == kArtefactClass;
}

bool ClassSchema::operator==(const ClassSchema& other) const
{
    return std::equal(classes_.begin(), classes_.end(), other.classes_.begin(), other.classes_.end(),
                      [](const ClassInfo& a, const ClassInfo& b) {
                          return a.id == b.id && a.key == b.key && a.name == b.name && a.colour == b.colour
                              && a.description == b.description;
                      });
}

} // namespace slt::core
