#include "slt/core/training_data/side_by_side.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace slt::core::training_data {

Result<LabelledImage> readSideBySideImage(const QString& path, const SchemaLabels& labels, int stride,
                                          ImageAccess& access)
{
    auto image = access.readImage(path);
    if (!image)
        return Result<LabelledImage>::failure(image.error());
    const int64_t half = image->width / 2;
    if (half < 1)
        return Result<LabelledImage>::failure(
            QStringLiteral("'%1' is %2 pixel(s) wide; a side-by-side image needs a picture and a label half")
                .arg(path)
                .arg(image->width));
    LabelledImage labelled;
    labelled.path = path;
    labelled.kind = ImageKind::SideBySide;
    labelled.origin = path;
    const int64_t step = std::max(stride, 1);
    for (int64_t y = step / 2; y < image->height; y += step)
        for (int64_t x = step / 2; x < half; x += step) {
            const uint8_t code = image->pixels[static_cast<size_t>((y * image->width + half + x) * 3 + 2)];
            if (code == 0)
                continue; // unlabelled
            const QString where = QStringLiteral("'%1' label pixel (x %2, y %3)").arg(path).arg(half + x).arg(y);
            auto id = labels.classId(QString::number(code - 1));
            if (!id)
                return Result<LabelledImage>::failure(
                    QStringLiteral("%1: blue %2 means class id %3: %4").arg(where).arg(code).arg(code - 1).arg(id.error()));
            LabelledPoint point;
            point.x = static_cast<double>(x);
            point.y = static_cast<double>(y);
            point.classId = *id;
            point.origin = where;
            labelled.points.push_back(std::move(point));
        }
    return labelled;
}

Result<LabelledData> readSideBySideList(const QString& listPath, const SchemaLabels& labels, int stride,
                                        ImageAccess& access)
{
    QFile file(listPath);
    if (!file.open(QIODevice::ReadOnly))
        return Result<LabelledData>::failure(QStringLiteral("cannot read '%1': %2").arg(listPath, file.errorString()));
    const QDir base = QFileInfo(listPath).absoluteDir();
    LabelledData data;
    QStringList missing;
    int lineNumber = 0;
    QStringList paths;
    QStringList origins;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).section(QLatin1Char('#'), 0, 0).trimmed();
        if (line.isEmpty())
            continue;
        const QString path = QDir::cleanPath(base.absoluteFilePath(line));
        if (!QFileInfo(path).isFile())
            missing << QStringLiteral("'%1' (line %2)").arg(path).arg(lineNumber);
        paths << path;
        origins << QStringLiteral("'%1' line %2").arg(listPath).arg(lineNumber);
    }
    if (!missing.isEmpty())
        return Result<LabelledData>::failure(
            QStringLiteral("%1 of %2 image(s) listed in '%3' do not exist; the first is %4")
                .arg(missing.size())
                .arg(paths.size())
                .arg(listPath, missing.first()));
    for (int i = 0; i < paths.size(); ++i) {
        auto image = readSideBySideImage(paths[i], labels, stride, access);
        if (!image)
            return Result<LabelledData>::failure(QStringLiteral("%1: %2").arg(origins[i], image.error()));
        image->origin = origins[i];
        data.images.push_back(std::move(*image));
    }
    return data;
}

} // namespace slt::core::training_data
