// What the training-data readers produce (SPEC M4): images with point labels, before they become the samples
// a model trains on. Readers know nothing of models: a label is a class id of the class schema; the mapping to
// a model's output channels happens once the model has described itself (label_map.hpp).
#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace slt::core::training_data {

enum class ImageKind {
    Tile,       // a PNG/TIFF/JPEG read whole
    SideBySide, // the original SLT's PNG: image on the left half, label colours on the right half
    Slide       // a whole-slide image read through OpenSlide; points in level-0 pixels
};

const char* imageKindName(ImageKind kind);

struct LabelledPoint {
    double x = 0;          // pixel column (level 0 for slides)
    double y = 0;          // pixel row
    int classId = 0;       // schema id (>= 0 for a tissue class)
    bool atCentre = false; // `image,label` rows: the point is the image's centre, known once it is opened
    QString origin;        // "labels.csv line 12": where it was read, for messages
};

struct LabelledImage {
    QString path;          // absolute
    ImageKind kind = ImageKind::Tile;
    std::vector<LabelledPoint> points;
    QString origin;        // where the image was named first
};

// The readers' result: images in the order first named, plus notes for the user (points skipped on purpose,
// such as unsure or artefact labels).
struct LabelledData {
    std::vector<LabelledImage> images;
    QStringList notes;

    int64_t pointCount() const;
    void append(LabelledData other); // merges images with the same path
};

} // namespace slt::core::training_data
