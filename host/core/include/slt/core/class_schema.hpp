// The class schema of a project or bank: ids, keyboard keys, names, colours (SPEC "Classes").
// Tissue classes have ids >= 0 and are the model's output channels in id order; the special ids below
// are annotation outcomes, never model outputs. Nothing may assume nine classes.
#pragma once

#include "slt/core/result.hpp"

#include <QString>

#include <vector>

namespace slt::core {

inline constexpr int kUnlabelledClass = -1; // no decision yet (never stored as a label)
inline constexpr int kUnsureClass = -2;     // asks for a second reading; does not count as labelled
inline constexpr int kArtefactClass = -3;   // blur, fold, debris...; counts as labelled, export optional

struct ClassInfo {
    int id = 0;           // >= 0 tissue class; kUnsureClass or kArtefactClass for the special ones
    QString key;          // keyboard key, one character ("0".."9", "A", "U"); may be empty
    QString name;         // "Tumour"
    QString colour;       // "#rrggbb"
    QString description;  // one sentence for tooltips
};

class ClassSchema {
public:
    // The SLT default: 0 Non-Informative .. 8 Muscle, A Artefact (-3), U Unsure (-2).
    static ClassSchema sltDefault();
    // The first `count` tissue classes of the default schema, then "Class 9", "Class 10"... with
    // generated colours; plus Artefact and Unsure. For banks whose model has `count` outputs.
    static ClassSchema withTissueClasses(int count);

    // Reads a schema from TOML text: [[class]] tables with id, key, name, colour, description.
    // Errors name "<origin>:line:column". Tissue ids must be 0..C-1 without gaps; keys and ids unique.
    static Result<ClassSchema> fromToml(const QString& text, const QString& origin);
    static Result<ClassSchema> fromTomlFile(const QString& path);
    QString toToml() const;

    const std::vector<ClassInfo>& classes() const { return classes_; }
    // Tissue classes only (id >= 0), in id order: the model's output channels.
    std::vector<ClassInfo> tissueClasses() const;
    int tissueClassCount() const;
    const ClassInfo* byId(int id) const;
    const ClassInfo* byKey(const QString& key) const;

    // Whether a label with this class id counts as "assessed" for attenuation and coverage
    // (tissue classes and artefact do; unsure and unlabelled do not).
    static bool countsAsLabelled(int classId);

    bool operator==(const ClassSchema& other) const;

private:
    std::vector<ClassInfo> classes_;
};

} // namespace slt::core
