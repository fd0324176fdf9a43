#include "label_report.hpp"

#include <QJsonArray>

namespace slt::cli {
namespace {

QJsonObject clusterJson(const core::ClusterView& view)
{
    QJsonArray crops;
    for (size_t i = 0; i < view.crops.size(); ++i) {
        const core::CropView& crop = view.crops[i];
        crops.append(QJsonObject{{QStringLiteral("index"), static_cast<qint64>(i)},
                                 {QStringLiteral("point"), static_cast<qint64>(crop.point)},
                                 {QStringLiteral("class"), crop.label.classId},
                                 {QStringLiteral("locked"), crop.label.locked},
                                 {QStringLiteral("predicted"), crop.predicted},
                                 {QStringLiteral("prior"), static_cast<double>(crop.prior)},
                                 {QStringLiteral("attenuated"), static_cast<double>(crop.attenuated)}});
    }
    return QJsonObject{{QStringLiteral("id"), static_cast<qint64>(view.cluster)},
                       {QStringLiteral("assessed"), view.assessed},
                       {QStringLiteral("crops"), crops}};
}

QJsonObject statisticsJson(const core::SessionStatistics& stats, const core::ClassSchema& schema)
{
    QJsonArray classes;
    for (const core::ClassStatistics& c : stats.classes) {
        const core::ClassInfo* info = schema.byId(c.classId);
        classes.append(QJsonObject{{QStringLiteral("class"), c.classId},
                                   {QStringLiteral("name"), info ? info->name : QString()},
                                   {QStringLiteral("count"), static_cast<qint64>(c.count)},
                                   {QStringLiteral("weight"), c.weight},
                                   {QStringLiteral("mean_prior_uncertainty"), c.meanPriorUncertainty},
                                   {QStringLiteral("agreeing"), static_cast<qint64>(c.agreeing)},
                                   {QStringLiteral("agreement"), c.agreement}});
    }
    return QJsonObject{{QStringLiteral("tissue_labelled"), static_cast<qint64>(stats.tissueLabelled)},
                       {QStringLiteral("artefacts"), static_cast<qint64>(stats.artefacts)},
                       {QStringLiteral("unsure"), static_cast<qint64>(stats.unsure)},
                       {QStringLiteral("agreeing"), static_cast<qint64>(stats.agreeing)},
                       {QStringLiteral("agreement"), stats.agreement},
                       {QStringLiteral("classes"), classes}};
}

QJsonObject coverageJson(const core::Coverage& coverage)
{
    return QJsonObject{{QStringLiteral("target"), core::coverageTargetText(coverage.target)},
                       {QStringLiteral("clusters"), static_cast<qint64>(coverage.clusters)},
                       {QStringLiteral("assessed_clusters"), static_cast<qint64>(coverage.assessedClusters)},
                       {QStringLiteral("labelled"), static_cast<qint64>(coverage.labelled)},
                       {QStringLiteral("progress"), coverage.progress},
                       {QStringLiteral("reached"), coverage.reached}};
}

} // namespace

QJsonObject sessionReport(const core::LabellingSession& session, int actionsApplied)
{
    auto& store = const_cast<core::LabellingSession&>(session).store(); // read-only use of its metadata
    const core::SessionSettings& s = session.settings();
    return QJsonObject{
        {QStringLiteral("project"), store.path()},
        {QStringLiteral("bank_uuid"), store.bank().uuid},
        {QStringLiteral("sampler"), s.samplerId},
        {QStringLiteral("metric"), s.metric},
        {QStringLiteral("navigation"), core::navigationPolicyName(s.navigation)},
        {QStringLiteral("lambda"), session.attenuation().lambda()},
        {QStringLiteral("attenuation_precision"), QLatin1String(core::precisionName(session.attenuation().precision()))},
        {QStringLiteral("attenuation_error_bound"), session.attenuation().errorBound()},
        {QStringLiteral("cluster_count"), static_cast<qint64>(session.clusters().size())},
        {QStringLiteral("actions_applied"), actionsApplied},
        {QStringLiteral("cluster"), clusterJson(session.currentView())},
        {QStringLiteral("statistics"), statisticsJson(session.statistics(), store.classSchema())},
        {QStringLiteral("coverage"), coverageJson(session.coverage())},
    };
}

QString sessionText(const QJsonObject& report)
{
    const QJsonObject cluster = report.value(QStringLiteral("cluster")).toObject();
    const QJsonObject coverage = report.value(QStringLiteral("coverage")).toObject();
    const QJsonObject stats = report.value(QStringLiteral("statistics")).toObject();
    QString text = QStringLiteral("cluster %1 of %2%3\n")
                       .arg(cluster.value(QStringLiteral("id")).toInteger())
                       .arg(report.value(QStringLiteral("cluster_count")).toInteger())
                       .arg(cluster.value(QStringLiteral("assessed")).toBool() ? QStringLiteral(" (assessed)") : QString());
    for (const QJsonValue& value : cluster.value(QStringLiteral("crops")).toArray()) {
        const QJsonObject crop = value.toObject();
        text += QStringLiteral("  %1  point %2  class %3%4  predicted %5  uncertainty %6\n")
                    .arg(crop.value(QStringLiteral("index")).toInteger())
                    .arg(crop.value(QStringLiteral("point")).toInteger())
                    .arg(crop.value(QStringLiteral("class")).toInt())
                    .arg(crop.value(QStringLiteral("locked")).toBool() ? QStringLiteral(" (locked)") : QString())
                    .arg(crop.value(QStringLiteral("predicted")).toInt())
                    .arg(crop.value(QStringLiteral("attenuated")).toDouble(), 0, 'g', 4);
    }
    text += QStringLiteral("labelled %1 (agreement with the model %2%)\n")
                .arg(coverage.value(QStringLiteral("labelled")).toInteger())
                .arg(100.0 * stats.value(QStringLiteral("agreement")).toDouble(), 0, 'f', 1);
    text += QStringLiteral("coverage %1: %2 of %3 clusters assessed, progress %4%%5\n")
                .arg(coverage.value(QStringLiteral("target")).toString())
                .arg(coverage.value(QStringLiteral("assessed_clusters")).toInteger())
                .arg(coverage.value(QStringLiteral("clusters")).toInteger())
                .arg(100.0 * coverage.value(QStringLiteral("progress")).toDouble(), 0, 'f', 1)
                .arg(coverage.value(QStringLiteral("reached")).toBool() ? QStringLiteral(", reached") : QString());
    return text;
}

} // namespace slt::cli
