#include "slt/core/training_data/data_sources.hpp"

#include "slt/core/training_data/side_by_side.hpp"

#include <QDir>
#include <QFileInfo>

namespace slt::core::training_data {
namespace {

const QStringList& tileSuffixes()
{
    static const QStringList suffixes{QStringLiteral("png"), QStringLiteral("tif"), QStringLiteral("tiff"),
                                      QStringLiteral("jpg"), QStringLiteral("jpeg")};
    return suffixes;
}

bool isImageFile(const QFileInfo& file)
{
    return tileSuffixes().contains(file.suffix().toLower()) || isSlideByExtension(file.fileName());
}

ReaderOptions withKinds(const DataOptions& options, ImageAccess& access)
{
    ReaderOptions reader = options.reader;
    reader.kindOf = [&access](const QString& path) { return access.kindOf(path); };
    return reader;
}

// The image beside `sidecar` with the same base name, or an empty string.
QString imageBeside(const QString& sidecar)
{
    const QFileInfo info(sidecar);
    const QDir dir = info.absoluteDir();
    for (const QFileInfo& candidate : dir.entryInfoList({info.completeBaseName() + QStringLiteral(".*")}, QDir::Files, QDir::Name))
        if (isImageFile(candidate))
            return candidate.absoluteFilePath();
    return {};
}

Result<LabelledData> readSidecar(const QString& sidecar, const QString& image, const SchemaLabels& labels,
                                 const ReaderOptions& reader)
{
    const QString suffix = QFileInfo(sidecar).suffix().toLower();
    if (suffix == QLatin1String("geojson"))
        return readQuPathGeoJson(sidecar, image, labels, reader);
    if (suffix == QLatin1String("json"))
        return readSltJson(sidecar, labels, reader);
    return readPointCsv(sidecar, image, labels, reader);
}

Result<LabelledData> readPointsFolder(const QString& folder, const SchemaLabels& labels, const ReaderOptions& reader)
{
    LabelledData data;
    int64_t withoutSidecar = 0;
    const QDir dir(folder);
    for (const QFileInfo& image : dir.entryInfoList(QDir::Files, QDir::Name)) {
        if (!isImageFile(image))
            continue;
        QString sidecar;
        for (const char* suffix : {".geojson", ".json", ".csv"}) {
            const QString candidate = dir.filePath(image.completeBaseName() + QLatin1String(suffix));
            if (QFileInfo(candidate).isFile()) {
                sidecar = candidate;
                break;
            }
        }
        if (sidecar.isEmpty()) {
            ++withoutSidecar;
            continue;
        }
        auto points = readSidecar(sidecar, image.absoluteFilePath(), labels, reader);
        if (!points)
            return points;
        data.append(std::move(*points));
    }
    if (data.images.empty())
        return Result<LabelledData>::failure(
            QStringLiteral("'%1' holds no image with a point file beside it (same name, .geojson, .json or .csv)").arg(folder));
    if (withoutSidecar > 0)
        data.notes << QStringLiteral("'%1': %2 image(s) without a point file skipped").arg(folder).arg(withoutSidecar);
    return data;
}

Result<LabelledData> readSideBySideFolder(const QString& folder, const SchemaLabels& labels, int stride,
                                          ImageAccess& access)
{
    LabelledData data;
    for (const QFileInfo& file : QDir(folder).entryInfoList({QStringLiteral("*.png"), QStringLiteral("*.PNG")}, QDir::Files, QDir::Name)) {
        auto image = readSideBySideImage(file.absoluteFilePath(), labels, stride, access);
        if (!image)
            return Result<LabelledData>::failure(image.error());
        data.images.push_back(std::move(*image));
    }
    if (data.images.empty())
        return Result<LabelledData>::failure(QStringLiteral("'%1' holds no PNG image").arg(folder));
    return data;
}

DataFormat detectFormat(const QString& path, DataFormat requested)
{
    const QFileInfo info(path);
    if (requested != DataFormat::Auto)
        return requested;
    if (info.isDir())
        return DataFormat::PointsFolder;
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String("json"))
        return DataFormat::SltJson;
    if (suffix == QLatin1String("geojson"))
        return DataFormat::QuPathGeoJson;
    if (suffix == QLatin1String("txt"))
        return DataFormat::SideBySide;
    return DataFormat::TilesCsv;
}

} // namespace

QStringList dataFormatNames()
{
    return {QStringLiteral("auto"), QStringLiteral("tiles-csv"), QStringLiteral("slt-json"),
            QStringLiteral("geojson"), QStringLiteral("folder"), QStringLiteral("side-by-side")};
}

Result<DataFormat> dataFormatFromName(const QString& name)
{
    const int index = static_cast<int>(dataFormatNames().indexOf(name.trimmed().toLower()));
    if (index < 0)
        return Result<DataFormat>::failure(QStringLiteral("unknown data format '%1' (expected one of %2)")
                                               .arg(name, dataFormatNames().join(QStringLiteral(", "))));
    return static_cast<DataFormat>(index);
}

Result<LabelledData> readTrainingData(const QString& path, const SchemaLabels& labels, const DataOptions& options,
                                      ImageAccess& access)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Result<LabelledData>::failure(QStringLiteral("the data '%1' does not exist").arg(path));
    const ReaderOptions reader = withKinds(options, access);
    const QString absolute = info.absoluteFilePath();
    switch (detectFormat(path, options.format)) {
    case DataFormat::TilesCsv: return readTilesCsv(absolute, labels, reader);
    case DataFormat::SltJson: return readSltJson(absolute, labels, reader);
    case DataFormat::PointsFolder: return readPointsFolder(absolute, labels, reader);
    case DataFormat::QuPathGeoJson: {
        const QString image = imageBeside(absolute);
        if (image.isEmpty())
            return Result<LabelledData>::failure(
                QStringLiteral("no image named like '%1' beside it (a GeoJSON holds the points of one image)").arg(absolute));
        return readQuPathGeoJson(absolute, image, labels, reader);
    }
    case DataFormat::SideBySide:
        return info.isDir() ? readSideBySideFolder(absolute, labels, options.sideBySideStride, access)
                            : readSideBySideList(absolute, labels, options.sideBySideStride, access);
    case DataFormat::Auto: break;
    }
    return Result<LabelledData>::failure(QStringLiteral("cannot tell the format of '%1'").arg(path));
}

Result<LabelledData> readTrainingData(const QStringList& paths, const SchemaLabels& labels,
                                      const DataOptions& options, ImageAccess& access)
{
    LabelledData merged;
    for (const QString& path : paths) {
        auto data = readTrainingData(path, labels, options, access);
        if (!data)
            return data;
        merged.append(std::move(*data));
    }
    return merged;
}

} // namespace slt::core::training_data
