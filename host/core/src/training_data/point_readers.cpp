#include "slt/core/training_data/point_readers.hpp"

#include "labelled_data_builder.hpp"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace slt::core::training_data {
namespace {

Result<QByteArray> readWholeFile(const QString& path)
{
    QFile file(path);
    if (!file.exists())
        return Result<QByteArray>::failure(QStringLiteral("'%1' does not exist").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(QStringLiteral("cannot read '%1': %2").arg(path, file.errorString()));
    return file.readAll();
}

// A coordinate field: a finite number >= 0.
bool parseCoordinate(const QString& text, double& out)
{
    bool ok = false;
    out = text.trimmed().toDouble(&ok);
    return ok && std::isfinite(out) && out >= 0;
}

// The lines of a text file without line ends; a trailing empty line is dropped.
QStringList textLines(const QByteArray& bytes)
{
    QStringList lines = QString::fromUtf8(bytes).split(QLatin1Char('\n'));
    for (QString& line : lines)
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

// The header of a CSV: the column index of each wanted name, or a message.
class CsvHeader {
public:
    static Result<CsvHeader> parse(const QString& path, const QString& line)
    {
        auto fields = splitCsvLine(line);
        if (!fields)
            return Result<CsvHeader>::failure(QStringLiteral("'%1' line 1: %2").arg(path, fields.error()));
        CsvHeader header;
        for (const QString& field : *fields)
            header.names_ << field.trimmed().toCaseFolded();
        return header;
    }
    int column(const QString& name) const { return static_cast<int>(names_.indexOf(name.toCaseFolded())); }
    int size() const { return static_cast<int>(names_.size()); }
    QString text() const { return names_.join(QLatin1Char(',')); }

private:
    QStringList names_;
};

// A CSV file's lines and its parsed header line (the first); a message when it is unreadable or empty.
struct CsvFile {
    QStringList lines;
    CsvHeader header;
};

Result<CsvFile> readCsvFile(const QString& path)
{
    auto bytes = readWholeFile(path);
    if (!bytes)
        return Result<CsvFile>::failure(bytes.error());
    QStringList lines = textLines(*bytes);
    if (lines.isEmpty())
        return Result<CsvFile>::failure(QStringLiteral("'%1' is empty; expected a header line").arg(path));
    auto header = CsvHeader::parse(path, lines.first());
    if (!header)
        return Result<CsvFile>::failure(header.error());
    return CsvFile{std::move(lines), std::move(*header)};
}

// Calls `row(fields, lineNumber)` for every non-empty line after the header, checking the field count.
template <class RowFunction>
Status forEachCsvRow(const QString& path, const QStringList& lines, int fieldCount, RowFunction row)
{
    for (int i = 1; i < lines.size(); ++i) {
        const int lineNumber = i + 1;
        if (lines[i].trimmed().isEmpty())
            continue;
        auto fields = splitCsvLine(lines[i]);
        if (!fields)
            return Status::failure(QStringLiteral("'%1' line %2: %3").arg(path).arg(lineNumber).arg(fields.error()));
        if (fields->size() != fieldCount)
            return Status::failure(QStringLiteral("'%1' line %2: expected %3 fields like the header, got %4")
                                       .arg(path)
                                       .arg(lineNumber)
                                       .arg(fieldCount)
                                       .arg(fields->size()));
        if (Status status = row(*fields, lineNumber); !status)
            return status;
    }
    return {};
}

Status readCoordinates(const QStringList& fields, int xColumn, int yColumn, const QString& where, double& x,
                       double& y)
{
    if (!parseCoordinate(fields[xColumn], x) || !parseCoordinate(fields[yColumn], y))
        return Status::failure(QStringLiteral("%1: x and y must be numbers >= 0, got '%2' and '%3'")
                                   .arg(where, fields[xColumn].trimmed(), fields[yColumn].trimmed()));
    return {};
}

// A number pair from a JSON array of two numbers >= 0.
bool jsonPair(const QJsonValue& value, double& first, double& second)
{
    const QJsonArray pair = value.toArray();
    if (!value.isArray() || pair.size() < 2 || !pair[0].isDouble() || !pair[1].isDouble())
        return false;
    first = pair[0].toDouble();
    second = pair[1].toDouble();
    return std::isfinite(first) && std::isfinite(second) && first >= 0 && second >= 0;
}

Result<QJsonDocument> parseJson(const QString& path, const QByteArray& bytes)
{
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        return Result<QJsonDocument>::failure(
            QStringLiteral("'%1' %2: %3").arg(path, lineColumnOf(bytes, error.offset), error.errorString()));
    return document;
}

// The label of a JSON point: "class_id" (integer) or "label"/"class" (id or name).
Result<QString> jsonPointLabel(const QJsonObject& point)
{
    const QJsonValue id = point.value(QStringLiteral("class_id"));
    if (id.isDouble() && id.toDouble() == std::floor(id.toDouble()))
        return QString::number(static_cast<int64_t>(id.toDouble()));
    for (const char* key : {"label", "class"}) {
        const QJsonValue value = point.value(QLatin1String(key));
        if (value.isString())
            return value.toString();
        if (value.isDouble())
            return QString::number(value.toDouble());
    }
    return Result<QString>::failure(QStringLiteral("has no integer \"class_id\" (nor a \"label\")"));
}

// The QuPath classification name of a feature, or an empty string.
QString qupathClassName(const QJsonObject& properties)
{
    const QJsonValue classification = properties.value(QStringLiteral("classification"));
    if (classification.isString())
        return classification.toString();
    const QJsonObject object = classification.toObject();
    if (object.value(QStringLiteral("name")).isString())
        return object.value(QStringLiteral("name")).toString();
    const QJsonArray names = object.value(QStringLiteral("names")).toArray();
    return names.size() == 1 ? names[0].toString() : QString();
}

} // namespace

bool isSlideByExtension(const QString& path)
{
    static const QStringList slideSuffixes{QStringLiteral("svs"), QStringLiteral("ndpi"), QStringLiteral("mrxs"),
                                           QStringLiteral("scn"), QStringLiteral("vms"),  QStringLiteral("vmu"),
                                           QStringLiteral("bif"), QStringLiteral("svslide")};
    return slideSuffixes.contains(QFileInfo(path).suffix().toLower());
}

Result<QStringList> splitCsvLine(const QString& line)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted) {
            if (c != QLatin1Char('"'))
                field += c;
            else if (i + 1 < line.size() && line[i + 1] == QLatin1Char('"'))
                field += line[++i];
            else
                quoted = false;
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            fields << field;
            field.clear();
        } else {
            field += c;
        }
    }
    if (quoted)
        return Result<QStringList>::failure(QStringLiteral("a quoted field is not closed"));
    fields << field;
    return fields;
}

QString lineColumnOf(const QByteArray& text, int64_t offset)
{
    int64_t line = 1;
    int64_t column = 1;
    for (int64_t i = 0; i < offset && i < text.size(); ++i) {
        if (text.at(static_cast<qsizetype>(i)) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

Result<LabelledData> readTilesCsv(const QString& path, const SchemaLabels& labels, const ReaderOptions& options)
{
    auto csv = readCsvFile(path);
    if (!csv)
        return Result<LabelledData>::failure(csv.error());
    const QStringList& lines = csv->lines;
    const CsvHeader& header = csv->header;
    const int imageColumn = header.column(options.imageColumn);
    const int labelColumn = header.column(options.labelColumn);
    const int xColumn = header.column(options.xColumn);
    const int yColumn = header.column(options.yColumn);
    if (imageColumn < 0 || labelColumn < 0 || (xColumn < 0) != (yColumn < 0))
        return Result<LabelledData>::failure(
            QStringLiteral("'%1' line 1: expected the columns %2,%3 or %2,%4,%5,%3, got '%6'")
                .arg(path, options.imageColumn, options.labelColumn, options.xColumn, options.yColumn, header.text()));
    LabelledDataBuilder builder(path, labels, options);
    const Status status = forEachCsvRow(path, lines, header.size(), [&](const QStringList& fields, int lineNumber) {
        const QString where = QStringLiteral("'%1' line %2").arg(path).arg(lineNumber);
        if (fields[imageColumn].trimmed().isEmpty())
            return Status::failure(where + QStringLiteral(": the image name is empty"));
        if (xColumn < 0)
            return builder.addCentrePoint(fields[imageColumn].trimmed(), fields[labelColumn], where);
        double x = 0, y = 0;
        if (Status coordinates = readCoordinates(fields, xColumn, yColumn, where, x, y); !coordinates)
            return coordinates;
        return builder.addPoint(fields[imageColumn].trimmed(), x, y, fields[labelColumn], where);
    });
    if (!status)
        return Result<LabelledData>::failure(status.error());
    return builder.finish();
}

Result<LabelledData> readPointCsv(const QString& path, const QString& imagePath, const SchemaLabels& labels,
                                  const ReaderOptions& options)
{
    auto csv = readCsvFile(path);
    if (!csv)
        return Result<LabelledData>::failure(csv.error());
    const QStringList& lines = csv->lines;
    const CsvHeader& header = csv->header;
    const int xColumn = header.column(options.xColumn);
    const int yColumn = header.column(options.yColumn);
    const int labelColumn = header.column(options.labelColumn);
    if (xColumn < 0 || yColumn < 0 || labelColumn < 0)
        return Result<LabelledData>::failure(QStringLiteral("'%1' line 1: expected the columns %2,%3,%4, got '%5'")
                                                 .arg(path, options.xColumn, options.yColumn, options.labelColumn,
                                                      header.text()));
    LabelledDataBuilder builder(path, labels, options);
    builder.addImage(imagePath, path);
    const Status status = forEachCsvRow(path, lines, header.size(), [&](const QStringList& fields, int lineNumber) {
        const QString where = QStringLiteral("'%1' line %2").arg(path).arg(lineNumber);
        double x = 0, y = 0;
        if (Status coordinates = readCoordinates(fields, xColumn, yColumn, where, x, y); !coordinates)
            return coordinates;
        return builder.addPoint(imagePath, x, y, fields[labelColumn], where);
    });
    if (!status)
        return Result<LabelledData>::failure(status.error());
    return builder.finish();
}

Result<LabelledData> readSltJson(const QString& path, const SchemaLabels& labels, const ReaderOptions& options)
{
    auto bytes = readWholeFile(path);
    if (!bytes)
        return Result<LabelledData>::failure(bytes.error());
    auto document = parseJson(path, *bytes);
    if (!document)
        return Result<LabelledData>::failure(document.error());
    if (!document->isObject())
        return Result<LabelledData>::failure(
            QStringLiteral("'%1': expected an object {\"<image>\": [points]}, got an array").arg(path));
    LabelledDataBuilder builder(path, labels, options);
    const QJsonObject root = document->object();
    for (auto image = root.begin(); image != root.end(); ++image) {
        if (!image.value().isArray())
            return Result<LabelledData>::failure(
                QStringLiteral("'%1': \"%2\" must hold an array of points").arg(path, image.key()));
        builder.addImage(image.key(), QStringLiteral("'%1' \"%2\"").arg(path, image.key()));
        const QJsonArray points = image.value().toArray();
        for (int i = 0; i < points.size(); ++i) {
            const QString where = QStringLiteral("'%1' \"%2\"[%3]").arg(path, image.key()).arg(i);
            const QJsonObject point = points[i].toObject();
            double row = 0, col = 0;
            if (!jsonPair(point.value(QStringLiteral("coord")), row, col))
                return Result<LabelledData>::failure(where + QStringLiteral(": \"coord\" must be [row, col], two numbers >= 0"));
            auto label = jsonPointLabel(point);
            if (!label)
                return Result<LabelledData>::failure(where + QStringLiteral(": the point ") + label.error());
            if (Status status = builder.addPoint(image.key(), col, row, *label, where); !status)
                return Result<LabelledData>::failure(status.error());
        }
    }
    return builder.finish();
}

Result<LabelledData> readQuPathGeoJson(const QString& path, const QString& imagePath, const SchemaLabels& labels,
                                       const ReaderOptions& options)
{
    auto bytes = readWholeFile(path);
    if (!bytes)
        return Result<LabelledData>::failure(bytes.error());
    auto document = parseJson(path, *bytes);
    if (!document)
        return Result<LabelledData>::failure(document.error());
    const QJsonArray features = document->isArray() ? document->array()
                                                    : document->object().value(QStringLiteral("features")).toArray();
    if (document->isObject() && !document->object().value(QStringLiteral("features")).isArray())
        return Result<LabelledData>::failure(
            QStringLiteral("'%1': expected a FeatureCollection with \"features\" or an array of features").arg(path));
    LabelledDataBuilder builder(path, labels, options);
    builder.addImage(imagePath, path);
    int64_t otherGeometries = 0;
    for (int i = 0; i < features.size(); ++i) {
        const QString where = QStringLiteral("'%1' feature %2").arg(path).arg(i + 1);
        const QJsonObject feature = features[i].toObject();
        const QJsonObject geometry = feature.value(QStringLiteral("geometry")).toObject();
        const QString type = geometry.value(QStringLiteral("type")).toString();
        if (type != QLatin1String("Point") && type != QLatin1String("MultiPoint")) {
            ++otherGeometries;
            continue;
        }
        const QString className = qupathClassName(feature.value(QStringLiteral("properties")).toObject());
        if (className.isEmpty())
            return Result<LabelledData>::failure(where + QStringLiteral(": the point has no classification name"));
        const QJsonValue coordinates = geometry.value(QStringLiteral("coordinates"));
        const QJsonArray pairs = type == QLatin1String("Point") ? QJsonArray{coordinates} : coordinates.toArray();
        if (pairs.isEmpty())
            return Result<LabelledData>::failure(where + QStringLiteral(": the MultiPoint has no coordinates"));
        for (const QJsonValue& pair : pairs) {
            double x = 0, y = 0;
            if (!jsonPair(pair, x, y))
                return Result<LabelledData>::failure(where + QStringLiteral(": coordinates must be [x, y], two numbers >= 0"));
            if (Status status = builder.addPoint(imagePath, x, y, className, where); !status)
                return Result<LabelledData>::failure(status.error());
        }
    }
    if (otherGeometries > 0)
        builder.note(QStringLiteral("'%1': %2 feature(s) that are not points skipped").arg(path).arg(otherGeometries));
    return builder.finish();
}

} // namespace slt::core::training_data
