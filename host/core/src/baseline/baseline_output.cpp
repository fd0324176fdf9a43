#include "slt/core/baseline/baseline_output.hpp"

#include "slt/core/eval/evaluation_output.hpp"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

namespace slt::core::baseline {
namespace {

const char* const kFormat = "slt.baseline/1";
const char* const kMethod = "colour-histogram-nearest-centroid";
const char* const kFeature = "joint RGB histogram, normalised to sum 1, square root of every bin (Hellinger map)";

QJsonArray stringArray(const QStringList& values)
{
    QJsonArray array;
    for (const QString& value : values)
        array.append(value);
    return array;
}

// A CSV field: quoted when it holds a comma, a quote or a line break.
QString csvField(QString text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

} // namespace

QJsonObject baselineJson(const BaselineReport& report)
{
    const eval::ClassificationSummary& c = report.classification;
    QStringList notes = report.notes;
    if (!c.kappa)
        notes.prepend(c.kappaNote);
    QJsonObject json{
        {QStringLiteral("format"), QLatin1String(kFormat)},
        {QStringLiteral("method"), QLatin1String(kMethod)},
        {QStringLiteral("feature"), QLatin1String(kFeature)},
        {QStringLiteral("bins"), report.options.binsPerChannel},
        {QStringLiteral("window"), static_cast<qint64>(report.options.window)},
        {QStringLiteral("train_data"), stringArray(report.trainData)},
        {QStringLiteral("test_data"), stringArray(report.testData)},
        {QStringLiteral("train_count"), static_cast<qint64>(report.trainFeatures)},
        {QStringLiteral("test_count"), static_cast<qint64>(report.predictions.size())},
        {QStringLiteral("points"), static_cast<qint64>(c.points)},
        {QStringLiteral("classes"), c.classes},
        {QStringLiteral("notes"), stringArray(notes)},
    };
    const eval::EvaluationContext context{QString(), QString(), report.classIds, report.classNames};
    const QJsonObject classification = eval::classificationJson(c, context);
    for (auto entry = classification.begin(); entry != classification.end(); ++entry)
        json.insert(entry.key(), entry.value());
    return json;
}

QByteArray predictionsCsv(const BaselineReport& report)
{
    QString csv = QStringLiteral("sample,image,x,y,true_class,predicted_class\n");
    for (const ColourPrediction& p : report.predictions)
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                   .arg(p.source.sample)
                   .arg(csvField(p.source.image))
                   .arg(p.source.x, 0, 'g', 10)
                   .arg(p.source.y, 0, 'g', 10)
                   .arg(report.classIds.at(static_cast<size_t>(p.source.channel)))
                   .arg(report.classIds.at(static_cast<size_t>(p.predicted)));
    return csv.toUtf8();
}

Result<QStringList> writeBaselineFiles(const BaselineReport& report, const QString& dir)
{
    return eval::writeOutputFiles(dir, {
        {QStringLiteral("predictions.csv"), predictionsCsv(report)},
        {QStringLiteral("metrics.json"), QJsonDocument(baselineJson(report)).toJson(QJsonDocument::Indented)},
    });
}

} // namespace slt::core::baseline
