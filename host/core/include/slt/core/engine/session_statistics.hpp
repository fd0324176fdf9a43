// What a labelling session reports besides the current cluster (SPEC S5): per class counts, balanced class
// weights and mean prior uncertainty, agreement with the model, and progress towards the coverage target.
#pragma once

#include "slt/core/class_schema.hpp"
#include "slt/core/project/label_journal.hpp"

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace slt::core {

struct ClassStatistics {
    int classId = 0;
    int64_t count = 0;                // points labelled with this class
    double weight = 0;                // balanced: tissue labelled / (classes present · count); 0 when count is 0
    double meanPriorUncertainty = 0;  // mean u0 of those points; 0 when count is 0
    int64_t agreeing = 0;             // of those, predicted as this class by the model
    double agreement = 0;             // agreeing / count; 0 when count is 0
};

struct SessionStatistics {
    std::vector<ClassStatistics> classes; // every tissue class of the schema, in id order
    int64_t tissueLabelled = 0;
    int64_t artefacts = 0;
    int64_t unsure = 0;
    int64_t agreeing = 0;  // tissue-labelled points whose label equals the predicted class
    double agreement = 0;  // agreeing / tissueLabelled; 0 when nothing is labelled
};

// `labels`: every point in a non-default state; `prior` and `predicted` indexed by point id.
SessionStatistics computeStatistics(const std::vector<PointLabel>& labels, const ClassSchema& schema, const float* prior,
                                    const int32_t* predicted);

// The coverage target: a share of clusters fully assessed (every crop has a class, unsure included), or a
// number of labelled points (tissue or artefact).
enum class CoverageKind { Clusters, Labels };

struct CoverageTarget {
    CoverageKind kind = CoverageKind::Clusters;
    double value = 1.0; // Clusters: share in (0, 1]; Labels: a count >= 1
};

// "clusters:0.8", "labels:500".
QString coverageTargetText(const CoverageTarget& target);
// Parses that text; nullopt with `problem` set for anything else.
std::optional<CoverageTarget> parseCoverageTarget(const QString& text, QString* problem);

struct Coverage {
    CoverageTarget target;
    int64_t clusters = 0;
    int64_t assessedClusters = 0;
    int64_t labelled = 0;
    double progress = 0; // towards the target, in [0, 1]
    bool reached = false;
};

Coverage computeCoverage(const CoverageTarget& target, int64_t clusters, int64_t assessedClusters, int64_t labelled);

} // namespace slt::core
