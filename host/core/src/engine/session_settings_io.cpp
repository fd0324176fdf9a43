#include "session_settings_io.hpp"

#include <QStringList>

#include <algorithm>

#include <unordered_set>

namespace slt::core::engine_io {
namespace {

Result<QString> required(const std::map<QString, QString>& all, const char* key)
{
    const auto found = all.find(QString::fromLatin1(key));
    if (found == all.end())
        return Result<QString>::failure(QStringLiteral("the project has no session setting '%1'").arg(key));
    return found->second;
}

} // namespace

Status saveSettings(ProjectStore& store, const SessionSettings& s)
{
    const std::pair<const char*, QString> entries[] = {
        {"sampler", s.samplerId},
        {"budget", QString::number(s.budget)},
        {"seed", QString::number(s.seed)},
        {"cluster_size", QString::number(s.clusterSize)},
        {"metric", s.metric},
        {"lambda", s.lambda > 0 ? QString::number(s.lambda, 'g', 17) : QStringLiteral("auto")},
        {"lambda_estimate", QString::number(s.lambdaEstimate, 'g', 17)},
        {"attenuation_precision", QString::fromLatin1(precisionName(s.precision))},
        {"navigation", navigationPolicyName(s.navigation)},
        {"coverage_target", coverageTargetText(s.coverage)},
    };
    for (const auto& [key, value] : entries)
        if (Status saved = store.setSetting(QString::fromLatin1(key), value); !saved) return saved;
    return Status();
}

Result<SessionSettings> loadSettings(ProjectStore& store)
{
    using R = Result<SessionSettings>;
    const auto all = store.settings();
    if (!all) return R::failure(all.error());
    SessionSettings s;
    QString problem;
    bool numbers = true, ok = false;
    auto text = [&](const char* key) {
        auto value = required(*all, key);
        if (!value && problem.isEmpty()) problem = value.error();
        return value ? *value : QString();
    };
    s.samplerId = text("sampler");
    s.budget = text("budget").toLongLong(&ok);
    numbers &= ok;
    s.seed = text("seed").toULongLong(&ok);
    numbers &= ok;
    s.clusterSize = text("cluster_size").toInt(&ok);
    numbers &= ok && s.clusterSize >= 1;
    s.metric = text("metric");
    const QString lambda = text("lambda");
    s.lambda = lambda == QLatin1String("auto") ? 0.0 : lambda.toDouble(&ok);
    numbers &= lambda == QLatin1String("auto") || (ok && s.lambda > 0);
    // Older projects have no stored estimate: it is then computed again at resume.
    if (const auto estimate = all->find(QStringLiteral("lambda_estimate")); estimate != all->end())
        s.lambdaEstimate = std::max(0.0, estimate->second.toDouble());
    // Older projects have no precision: automatic, as they were created before the setting existed.
    bool precisionOk = true;
    if (const auto precision = all->find(QStringLiteral("attenuation_precision")); precision != all->end())
        precisionOk = parsePrecision(precision->second, &s.precision);
    const auto policy = navigationPolicyFromName(text("navigation"));
    const auto coverage = parseCoverageTarget(text("coverage_target"), problem.isEmpty() ? &problem : nullptr);
    if (!problem.isEmpty()) return R::failure(problem);
    if (!numbers || !policy || !coverage || !precisionOk)
        return R::failure(QStringLiteral("the project's session settings are damaged (budget, seed, cluster_size, "
                                         "lambda, attenuation_precision or navigation)"));
    s.navigation = *policy;
    s.coverage = *coverage;
    return s;
}

QString clustersText(const std::vector<Cluster>& clusters)
{
    QStringList lines;
    for (const Cluster& cluster : clusters) lines << idListText(cluster);
    return lines.join(QLatin1Char('\n'));
}

QString idListText(const std::vector<int64_t>& ids)
{
    QStringList words;
    for (int64_t id : ids) words << QString::number(id);
    return words.join(QLatin1Char(' '));
}

Result<std::vector<int64_t>> parseIdList(const QString& text, int64_t limit, const QString& what)
{
    std::vector<int64_t> ids;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 id = word.toLongLong(&ok);
        if (!ok || id < 0 || id >= limit)
            return Result<std::vector<int64_t>>::failure(
                QStringLiteral("the project's %1 holds '%2', not an id in [0, %3)").arg(what, word).arg(limit));
        ids.push_back(id);
    }
    return ids;
}

Result<std::vector<Cluster>> parseClusters(const QString& text, int64_t numPoints)
{
    using R = Result<std::vector<Cluster>>;
    std::vector<Cluster> clusters;
    std::unordered_set<int64_t> seen;
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        auto points = parseIdList(line, numPoints, QStringLiteral("clusters"));
        if (!points) return R::failure(points.error());
        if (points->empty()) return R::failure(QStringLiteral("the project's clusters hold an empty cluster"));
        for (int64_t point : *points)
            if (!seen.insert(point).second)
                return R::failure(QStringLiteral("the project's clusters hold point %1 twice").arg(point));
        clusters.push_back(std::move(*points));
    }
    return clusters;
}

} // namespace slt::core::engine_io
