#include "slt/core/engine/session_statistics.hpp"

#include <QStringList>

#include <algorithm>

namespace slt::core {

SessionStatistics computeStatistics(const std::vector<PointLabel>& labels, const ClassSchema& schema, const float* prior,
                                    const int32_t* predicted)
{
    SessionStatistics stats;
    const int tissue = schema.tissueClassCount();
    stats.classes.resize(static_cast<size_t>(tissue));
    std::vector<double> priorSums(static_cast<size_t>(tissue), 0.0);
    for (int c = 0; c < tissue; ++c) stats.classes[c].classId = c;
    for (const PointLabel& label : labels) {
        const int classId = label.state.classId;
        if (classId == kArtefactClass) ++stats.artefacts;
        if (classId == kUnsureClass) ++stats.unsure;
        if (classId < 0 || classId >= tissue) continue;
        ClassStatistics& entry = stats.classes[classId];
        ++entry.count;
        priorSums[classId] += prior[label.point];
        if (predicted[label.point] == classId) ++entry.agreeing;
        ++stats.tissueLabelled;
    }
    const auto present = std::count_if(stats.classes.begin(), stats.classes.end(), [](const ClassStatistics& c) { return c.count > 0; });
    for (ClassStatistics& entry : stats.classes) {
        stats.agreeing += entry.agreeing;
        if (entry.count == 0) continue;
        const double count = static_cast<double>(entry.count);
        entry.weight = static_cast<double>(stats.tissueLabelled) / (static_cast<double>(present) * count);
        entry.meanPriorUncertainty = priorSums[entry.classId] / count;
        entry.agreement = static_cast<double>(entry.agreeing) / count;
    }
    if (stats.tissueLabelled > 0)
        stats.agreement = static_cast<double>(stats.agreeing) / static_cast<double>(stats.tissueLabelled);
    return stats;
}

QString coverageTargetText(const CoverageTarget& target)
{
    return target.kind == CoverageKind::Clusters ? QStringLiteral("clusters:%1").arg(target.value)
                                                 : QStringLiteral("labels:%1").arg(static_cast<qint64>(target.value));
}

std::optional<CoverageTarget> parseCoverageTarget(const QString& text, QString* problem)
{
    const QStringList parts = text.split(QLatin1Char(':'));
    bool ok = false;
    if (parts.size() == 2 && parts[0] == QLatin1String("clusters")) {
        const double share = parts[1].toDouble(&ok);
        if (ok && share > 0 && share <= 1) return CoverageTarget{CoverageKind::Clusters, share};
    }
    if (parts.size() == 2 && parts[0] == QLatin1String("labels")) {
        const qint64 count = parts[1].toLongLong(&ok);
        if (ok && count >= 1) return CoverageTarget{CoverageKind::Labels, static_cast<double>(count)};
    }
    if (problem)
        *problem = QStringLiteral("bad coverage target '%1': expected clusters:SHARE (0 < SHARE <= 1) or labels:COUNT "
                                  "(COUNT >= 1)").arg(text);
    return std::nullopt;
}

Coverage computeCoverage(const CoverageTarget& target, int64_t clusters, int64_t assessedClusters, int64_t labelled)
{
    Coverage coverage{target, clusters, assessedClusters, labelled, 0, false};
    if (target.kind == CoverageKind::Clusters) {
        const double share = clusters > 0 ? static_cast<double>(assessedClusters) / static_cast<double>(clusters) : 1.0;
        coverage.reached = share >= target.value;
        coverage.progress = std::min(1.0, share / target.value);
    } else {
        coverage.reached = static_cast<double>(labelled) >= target.value;
        coverage.progress = std::min(1.0, static_cast<double>(labelled) / target.value);
    }
    return coverage;
}

} // namespace slt::core
