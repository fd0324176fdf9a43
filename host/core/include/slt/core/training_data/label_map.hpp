// Labels as the training data writes them, and as a model needs them.
//
// A label in a data file is either a class id of the schema ("3") or a class name ("Tumour", compared without
// regard to case and surrounding spaces). Labels of the special classes (Unsure, Artefact, Unlabelled) are not
// training targets: readers skip those points and say how many. Anything else is an error naming the label.
// A model orders its outputs by its own list of schema ids; ChannelMap turns a schema id into that index.
#pragma once

#include "slt/core/class_schema.hpp"
#include "slt/core/result.hpp"

#include <QHash>
#include <QString>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace slt::core::training_data {

class SchemaLabels {
public:
    explicit SchemaLabels(ClassSchema schema);

    // The schema id of `label` (a tissue or special class), or a message without a location.
    Result<int> classId(const QString& label) const;
    const ClassSchema& schema() const { return schema_; }
    // "0 Non-Informative, 1 Tumour, ..." for messages.
    QString tissueClassList() const;

private:
    ClassSchema schema_;
    QHash<QString, int> idByFoldedName_;
};

class ChannelMap {
public:
    // `modelClassIds[c]` is the schema id of output channel c, as slt_model_info::class_ids gives it.
    // Fails when the model names an id twice or an id that is not a tissue class of `schema`.
    static Result<ChannelMap> create(const ClassSchema& schema, const std::vector<int32_t>& modelClassIds);

    // The output channel of a schema id, or -1 when the model has no such output.
    int32_t channel(int classId) const;
    int32_t channelCount() const { return static_cast<int32_t>(classIds_.size()); }
    int classIdOf(int32_t channel) const { return classIds_[static_cast<size_t>(channel)]; }

private:
    std::vector<int32_t> classIds_;
    std::unordered_map<int, int32_t> channelById_;
};

} // namespace slt::core::training_data
