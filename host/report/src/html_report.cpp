// writeHtmlReport: one self-contained HTML page (inline CSS, no scripts) referencing images next to it.
#include "slt/report/html_report.hpp"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QUrl>

namespace slt::report {

namespace {

// Readable without a stylesheet of its own: one column, tables with zebra rows and right-aligned numbers,
// images never wider than the page.
const char* const kStyle = R"css(
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #202020; background: #fff;
       margin: 0; line-height: 1.5; }
main { max-width: 1160px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 1.7em; margin: 0.4em 0 0.6em; }
h2 { font-size: 1.3em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid #d0d7de; }
p { margin: 0.5em 0; max-width: 60em; }
table { border-collapse: collapse; margin: 1em 0 1.5em; font-size: 0.95em; }
caption { text-align: left; font-weight: bold; padding: 0 0 0.4em; }
th, td { border: 1px solid #d0d7de; padding: 5px 12px; }
th { background: #f0f3f6; text-align: left; }
tbody tr:nth-child(even) { background: #f8f9fb; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th.num { text-align: right; }
figure { margin: 1em 0 2em; }
img { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
figcaption { color: #555; font-size: 0.92em; margin-top: 0.3em; }
)css";

QString escaped(const QString& text)
{
    return text.toHtmlEscaped().replace(QLatin1Char('\''), QLatin1String("&#39;"));
}

bool looksNumeric(const QString& cell)
{
    static const QRegularExpression number(
        QStringLiteral(R"(^\s*[-+−]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*%?\s*$)"));
    return number.match(cell).hasMatch();
}

core::Status checkImage(const HtmlImage& image, const QDir& pageDir)
{
    if (image.fileName.isEmpty())
        return core::Status::failure(QStringLiteral("an image of the report has no file name"));
    if (QDir::isAbsolutePath(image.fileName) || image.fileName.split(QLatin1Char('/')).contains(QStringLiteral("..")))
        return core::Status::failure(
            QStringLiteral("image %1 must be a path inside the report's folder (relative, without \"..\")")
                .arg(image.fileName));
    const QFileInfo file(pageDir, image.fileName);
    if (!file.isFile())
        return core::Status::failure(
            QStringLiteral("image %1 of the report is missing (expected at %2)").arg(image.fileName, file.absoluteFilePath()));
    return {};
}

core::Status checkTable(const HtmlTable& table)
{
    if (table.header.isEmpty())
        return {};
    for (size_t i = 0; i < table.rows.size(); ++i)
        if (table.rows[i].size() != table.header.size())
            return core::Status::failure(QStringLiteral("table \"%1\": row %2 has %3 cells but the header has %4")
                                             .arg(table.caption)
                                             .arg(i + 1)
                                             .arg(table.rows[i].size())
                                             .arg(table.header.size()));
    return {};
}

// A column reads as numbers when most of its non-empty cells are numbers; all its cells and its header are
// then right-aligned, so digits line up even around an "n/a".
std::vector<bool> numericColumns(const HtmlTable& table)
{
    const int columns = table.header.isEmpty() ? 0 : static_cast<int>(table.header.size());
    std::vector<bool> numeric(static_cast<size_t>(columns), false);
    for (int c = 0; c < columns; ++c) {
        int numbers = 0, filled = 0;
        for (const QStringList& row : table.rows) {
            if (row[c].trimmed().isEmpty())
                continue;
            ++filled;
            numbers += looksNumeric(row[c]) ? 1 : 0;
        }
        numeric[static_cast<size_t>(c)] = filled > 0 && 2 * numbers >= filled;
    }
    return numeric;
}

void appendTable(QString& html, const HtmlTable& table)
{
    const std::vector<bool> numeric = numericColumns(table);
    const auto cellClass = [&](int column, const QString& cell) {
        const bool right = numeric.empty() ? looksNumeric(cell) : numeric[static_cast<size_t>(column)];
        return right ? QStringLiteral(" class=\"num\"") : QString();
    };
    html += QStringLiteral("<table>\n");
    if (!table.caption.isEmpty())
        html += QStringLiteral("<caption>%1</caption>\n").arg(escaped(table.caption));
    if (!table.header.isEmpty()) {
        html += QStringLiteral("<thead><tr>");
        for (int c = 0; c < table.header.size(); ++c)
            html += QStringLiteral("<th%1>%2</th>").arg(numeric[static_cast<size_t>(c)] ? QStringLiteral(" class=\"num\"") : QString(),
                                                         escaped(table.header[c]));
        html += QStringLiteral("</tr></thead>\n");
    }
    html += QStringLiteral("<tbody>\n");
    for (const QStringList& row : table.rows) {
        html += QStringLiteral("<tr>");
        for (int c = 0; c < row.size(); ++c)
            html += QStringLiteral("<td%1>%2</td>").arg(cellClass(c, row[c]), escaped(row[c]));
        html += QStringLiteral("</tr>\n");
    }
    html += QStringLiteral("</tbody>\n</table>\n");
}

void appendImage(QString& html, const HtmlImage& image)
{
    // Percent-encode the path for the URL (spaces, '#', '?'), then escape it for the attribute.
    const QString source = QString::fromUtf8(QUrl::toPercentEncoding(image.fileName, "/"));
    html += QStringLiteral("<figure>\n<img src=\"%1\" alt=\"%2\">\n").arg(escaped(source), escaped(image.caption));
    if (!image.caption.isEmpty())
        html += QStringLiteral("<figcaption>%1</figcaption>\n").arg(escaped(image.caption));
    html += QStringLiteral("</figure>\n");
}

QString pageHtml(const HtmlPage& page)
{
    QString html;
    html += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html += QStringLiteral("<title>%1</title>\n<style>%2</style>\n</head>\n<body>\n<main>\n")
                .arg(escaped(page.title), QLatin1String(kStyle));
    if (!page.title.isEmpty())
        html += QStringLiteral("<h1>%1</h1>\n").arg(escaped(page.title));
    for (const HtmlSection& section : page.sections) {
        html += QStringLiteral("<section>\n");
        if (!section.heading.isEmpty())
            html += QStringLiteral("<h2>%1</h2>\n").arg(escaped(section.heading));
        for (const QString& paragraph : section.paragraphs)
            html += QStringLiteral("<p>%1</p>\n").arg(escaped(paragraph));
        for (const HtmlTable& table : section.tables)
            appendTable(html, table);
        for (const HtmlImage& image : section.images)
            appendImage(html, image);
        html += QStringLiteral("</section>\n");
    }
    html += QStringLiteral("</main>\n</body>\n</html>\n");
    return html;
}

} // namespace

core::Status writeHtmlReport(const HtmlPage& page, const QString& htmlPath)
{
    if (htmlPath.isEmpty())
        return core::Status::failure(QStringLiteral("no output file given for the HTML report"));
    const QDir pageDir = QFileInfo(htmlPath).absoluteDir();
    for (const HtmlSection& section : page.sections) {
        for (const HtmlTable& table : section.tables)
            if (core::Status status = checkTable(table); !status)
                return status;
        for (const HtmlImage& image : section.images)
            if (core::Status status = checkImage(image, pageDir); !status)
                return status;
    }
    QSaveFile file(htmlPath);
    if (!file.open(QIODevice::WriteOnly))
        return core::Status::failure(QStringLiteral("cannot write %1: %2").arg(htmlPath, file.errorString()));
    const QByteArray bytes = pageHtml(page).toUtf8();
    if (file.write(bytes) != bytes.size() || !file.commit())
        return core::Status::failure(QStringLiteral("cannot write %1: %2").arg(htmlPath, file.errorString()));
    return {};
}

} // namespace slt::report
