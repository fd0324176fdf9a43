#include "label_script.hpp"

#include <QStringList>

namespace slt::cli {
namespace {

// A class argument: a class id of the schema, or the words unsure, artefact, unlabel.
std::optional<int> parseClass(const QString& word, const core::ClassSchema& schema, QString* problem)
{
    if (word == QLatin1String("unsure")) return core::kUnsureClass;
    if (word == QLatin1String("artefact")) return core::kArtefactClass;
    if (word == QLatin1String("unlabel")) return core::kUnlabelledClass;
    bool ok = false;
    const int id = word.toInt(&ok);
    if (ok && (id == core::kUnlabelledClass || schema.byId(id))) return id;
    *problem = QStringLiteral("'%1' is not a class of the project (class ids 0 to %2, unsure, artefact, unlabel)")
                   .arg(word)
                   .arg(schema.tissueClassCount() - 1);
    return std::nullopt;
}

std::optional<qint64> parseCount(const QString& word, const char* what, QString* problem)
{
    bool ok = false;
    const qint64 value = word.toLongLong(&ok);
    if (ok && value >= 0) return value;
    *problem = QStringLiteral("%1 '%2' is not a number >= 0").arg(QLatin1String(what), word);
    return std::nullopt;
}

} // namespace

std::optional<LabelAction> parseActionLine(const QString& line, const core::ClassSchema& schema, QString* problem)
{
    problem->clear();
    const QStringList words = line.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty() || words.first().startsWith(QLatin1Char('#'))) return std::nullopt;
    const QString& verb = words.first();
    const std::pair<const char*, ActionKind> bare[] = {
        {"agree", ActionKind::Agree}, {"force-agree", ActionKind::ForceAgree}, {"unlabel", ActionKind::Unlabel},
        {"next", ActionKind::Next},   {"back", ActionKind::Back},              {"undo", ActionKind::Undo},
        {"redo", ActionKind::Redo}};
    static const QStringList known{"label", "label-one", "agree", "force-agree", "unlabel", "unsure", "artefact",
                                   "next", "back", "undo", "redo", "goto"};
    if (!known.contains(verb)) {
        *problem = QStringLiteral("unknown action '%1' (%2)").arg(verb, known.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    const int expected = verb == QLatin1String("label-one") ? 3 : (verb == QLatin1String("label") || verb == QLatin1String("goto")) ? 2 : 1;
    if (words.size() != expected) {
        *problem = QStringLiteral("'%1' takes %2 argument(s), got %3").arg(verb).arg(expected - 1).arg(words.size() - 1);
        return std::nullopt;
    }
    for (const auto& [name, kind] : bare)
        if (verb == QLatin1String(name)) return LabelAction{kind, core::kUnlabelledClass, 0};
    if (verb == QLatin1String("unsure")) return LabelAction{ActionKind::Label, core::kUnsureClass, 0};
    if (verb == QLatin1String("artefact")) return LabelAction{ActionKind::Label, core::kArtefactClass, 0};
    if (verb == QLatin1String("label")) {
        const auto classId = parseClass(words[1], schema, problem);
        if (!classId) return std::nullopt;
        return LabelAction{ActionKind::Label, *classId, 0};
    }
    if (verb == QLatin1String("label-one")) {
        const auto index = parseCount(words[1], "crop index", problem);
        const auto classId = index ? parseClass(words[2], schema, problem) : std::nullopt;
        if (!classId) return std::nullopt;
        return LabelAction{ActionKind::LabelOne, *classId, *index};
    }
    if (verb == QLatin1String("goto")) {
        const auto cluster = parseCount(words[1], "cluster", problem);
        if (!cluster) return std::nullopt;
        return LabelAction{ActionKind::GoTo, core::kUnlabelledClass, *cluster};
    }
    return std::nullopt; // unreachable: every known verb is handled above
}

core::Status applyAction(core::LabellingSession& session, const LabelAction& action)
{
    auto moved = [](const core::Result<int64_t>& result) {
        return result ? core::Status() : core::Status::failure(result.error());
    };
    switch (action.kind) {
    case ActionKind::Label: return session.labelCluster(action.classId);
    case ActionKind::LabelOne: return session.labelOne(action.index, action.classId);
    case ActionKind::Agree: return session.agree(false);
    case ActionKind::ForceAgree: return session.agree(true);
    case ActionKind::Unlabel: return session.unlabelCluster();
    case ActionKind::Next: return moved(session.next());
    case ActionKind::Back: return moved(session.back());
    case ActionKind::Undo: return session.undo();
    case ActionKind::Redo: return session.redo();
    case ActionKind::GoTo: return session.goTo(action.index);
    }
    return core::Status::failure(QStringLiteral("unknown action"));
}

} // namespace slt::cli
