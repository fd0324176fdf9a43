// The original SLT's side-by-side PNG: the picture on the left half, labels on the right half, where the blue
// channel holds class + 1 (0 = unlabelled). The right half is a dense mask; a model here takes points, so the
// labelled pixels are taken on a grid every `stride` pixels (starting at stride / 2), each as a point of its
// class. The picture is the left floor(W / 2) columns, as the original cut it.
#pragma once

#include "slt/core/result.hpp"
#include "slt/core/training_data/image_access.hpp"
#include "slt/core/training_data/label_map.hpp"

namespace slt::core::training_data {

Result<LabelledImage> readSideBySideImage(const QString& path, const SchemaLabels& labels, int stride,
                                          ImageAccess& access);

// The list file of the original: one PNG path per line, relative to the list; '#' starts a comment.
Result<LabelledData> readSideBySideList(const QString& listPath, const SchemaLabels& labels, int stride,
                                        ImageAccess& access);

} // namespace slt::core::training_data
