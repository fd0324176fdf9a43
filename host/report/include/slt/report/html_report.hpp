// A self-contained HTML page for an evaluation (issue 5): headings, paragraphs, tables and images referenced by
// file names relative to the page, so the output folder can be moved or zipped as a whole. No scripts, no
// external resources; text is HTML-escaped.
#pragma once

#include "slt/core/result.hpp"

#include <QString>
#include <QStringList>

#include <vector>

namespace slt::report {

struct HtmlTable {
    QString caption;
    QStringList header;
    std::vector<QStringList> rows; // each row has header.size() cells
};

struct HtmlImage {
    QString fileName; // relative to the page, must exist when the page is written
    QString caption;  // also the alt text
};

// One section of the page, drawn in this order: heading, paragraphs, tables, images.
struct HtmlSection {
    QString heading;
    QStringList paragraphs;
    std::vector<HtmlTable> tables;
    std::vector<HtmlImage> images;
};

struct HtmlPage {
    QString title;
    std::vector<HtmlSection> sections;
};

// Writes `page` to `htmlPath` (UTF-8) atomically. Fails with a message naming the file when an image is
// missing next to the page or the file cannot be written.
core::Status writeHtmlReport(const HtmlPage& page, const QString& htmlPath);

} // namespace slt::report
