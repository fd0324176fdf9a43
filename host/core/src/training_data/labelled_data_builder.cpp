#include "labelled_data_builder.hpp"

#include <QDir>
#include <QFileInfo>

namespace slt::core::training_data {

LabelledDataBuilder::LabelledDataBuilder(QString dataFile, const SchemaLabels& labels, const ReaderOptions& options)
    : dataFile_(std::move(dataFile)),
      baseDir_(QDir(QFileInfo(dataFile_).absolutePath()).absoluteFilePath(options.imagesDir)),
      labels_(labels),
      options_(options)
{
}

LabelledImage& LabelledDataBuilder::image(const QString& imageName, const QString& origin)
{
    const QString path = QDir::cleanPath(QDir(baseDir_).absoluteFilePath(imageName));
    const auto found = indexByPath_.constFind(path);
    if (found != indexByPath_.constEnd())
        return data_.images[*found];
    LabelledImage image;
    image.path = path;
    image.origin = origin;
    image.kind = options_.kindOf ? options_.kindOf(path)
                                 : (isSlideByExtension(path) ? ImageKind::Slide : ImageKind::Tile);
    indexByPath_.insert(path, data_.images.size());
    data_.images.push_back(std::move(image));
    return data_.images.back();
}

void LabelledDataBuilder::addImage(const QString& imageName, const QString& origin)
{
    image(imageName, origin);
}

Status LabelledDataBuilder::addLabelled(const QString& imageName, LabelledPoint point, const QString& label)
{
    auto id = labels_.classId(label);
    if (!id)
        return Status::failure(point.origin + QStringLiteral(": ") + id.error());
    LabelledImage& target = image(imageName, point.origin);
    if (*id < 0) { // Unsure, Artefact, Unlabelled: annotation outcomes, not training targets
        ++skippedSpecial_;
        return {};
    }
    point.classId = *id;
    target.points.push_back(std::move(point));
    return {};
}

Status LabelledDataBuilder::addPoint(const QString& imageName, double x, double y, const QString& label,
                                     const QString& origin)
{
    LabelledPoint point;
    point.x = x;
    point.y = y;
    point.origin = origin;
    return addLabelled(imageName, std::move(point), label);
}

Status LabelledDataBuilder::addCentrePoint(const QString& imageName, const QString& label, const QString& origin)
{
    LabelledPoint point;
    point.atCentre = true;
    point.origin = origin;
    return addLabelled(imageName, std::move(point), label);
}

LabelledData LabelledDataBuilder::finish()
{
    if (skippedSpecial_ > 0)
        data_.notes << QStringLiteral("'%1': %2 point(s) labelled Unsure, Artefact or Unlabelled skipped (not training targets)")
                           .arg(dataFile_)
                           .arg(skippedSpecial_);
    return std::move(data_);
}

} // namespace slt::core::training_data
