#include "slt/core/training_data/label_map.hpp"

#include <QStringList>

namespace slt::core::training_data {
namespace {

QString folded(const QString& name)
{
    return name.trimmed().toCaseFolded();
}

} // namespace

SchemaLabels::SchemaLabels(ClassSchema schema) : schema_(std::move(schema))
{
    for (const ClassInfo& info : schema_.classes())
        idByFoldedName_.insert(folded(info.name), info.id);
}

Result<int> SchemaLabels::classId(const QString& label) const
{
    const QString text = label.trimmed();
    if (text.isEmpty())
        return Result<int>::failure(QStringLiteral("the label is empty"));
    bool isNumber = false;
    const int id = text.toInt(&isNumber);
    if (isNumber) {
        if (schema_.byId(id) || id == kUnlabelledClass)
            return id;
        return Result<int>::failure(
            QStringLiteral("class id %1 is not in the class schema (%2)").arg(id).arg(tissueClassList()));
    }
    const auto found = idByFoldedName_.constFind(folded(text));
    if (found != idByFoldedName_.constEnd())
        return *found;
    return Result<int>::failure(
        QStringLiteral("label '%1' is neither a class id nor a class name of the schema (%2)").arg(text, tissueClassList()));
}

QString SchemaLabels::tissueClassList() const
{
    QStringList parts;
    for (const ClassInfo& info : schema_.tissueClasses())
        parts << QStringLiteral("%1 %2").arg(info.id).arg(info.name);
    return parts.join(QStringLiteral(", "));
}

Result<ChannelMap> ChannelMap::create(const ClassSchema& schema, const std::vector<int32_t>& modelClassIds)
{
    ChannelMap map;
    for (size_t c = 0; c < modelClassIds.size(); ++c) {
        const int id = modelClassIds[c];
        const ClassInfo* info = schema.byId(id);
        if (!info || id < 0)
            return Result<ChannelMap>::failure(
                QStringLiteral("the model's output %1 is class id %2, which is not a tissue class of the class schema; "
                               "give the model's schema with --classes")
                    .arg(c)
                    .arg(id));
        if (!map.channelById_.emplace(id, static_cast<int32_t>(c)).second)
            return Result<ChannelMap>::failure(QStringLiteral("the model names class id %1 twice").arg(id));
        map.classIds_.push_back(id);
    }
    return map;
}

int32_t ChannelMap::channel(int classId) const
{
    const auto found = channelById_.find(classId);
    return found == channelById_.end() ? -1 : found->second;
}

} // namespace slt::core::training_data
