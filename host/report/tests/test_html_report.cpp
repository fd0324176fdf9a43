// writeHtmlReport: the page, its image references, escaping, atomic writes and refusals.
#include "slt/report/html_report.hpp"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QUrl>

using namespace slt::report;

namespace {

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

QString readText(const QString& path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return QString::fromUtf8(file.readAll());
}

HtmlPage samplePage()
{
    HtmlPage page;
    page.title = QStringLiteral("Evaluation of <bank> & \"scores\"");
    HtmlSection section;
    section.heading = QStringLiteral("Metrics");
    section.paragraphs << QStringLiteral("Accuracy <b>0.91</b> on 1,000 points; it's fine.");
    HtmlTable table;
    table.caption = QStringLiteral("Per score");
    table.header << QStringLiteral("score") << QStringLiteral("AUROC");
    table.rows.push_back({QStringLiteral("<script>alert(1)</script>"), QStringLiteral("0.8123")});
    table.rows.push_back({QStringLiteral("entropy"), QStringLiteral("0.7900")});
    section.tables.push_back(table);
    section.images.push_back({QStringLiteral("risk coverage.png"), QStringLiteral("Risk & coverage")});
    section.images.push_back({QStringLiteral("plots/reliability.png"), QStringLiteral("Reliability")});
    page.sections.push_back(section);
    return page;
}

void writeSampleImages(const QDir& dir)
{
    REQUIRE(dir.mkpath(QStringLiteral("plots")));
    writeFile(dir.filePath(QStringLiteral("risk coverage.png")), "png");
    writeFile(dir.filePath(QStringLiteral("plots/reliability.png")), "png");
}

} // namespace

TEST_CASE("the page escapes text and references only images that exist next to it", "[html]")
{
    QTemporaryDir temp;
    const QDir dir(temp.path());
    writeSampleImages(dir);
    const QString path = dir.filePath(QStringLiteral("report.html"));
    const auto status = writeHtmlReport(samplePage(), path);
    REQUIRE(status.ok());
    const QString html = readText(path);

    CHECK(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
    CHECK(html.contains(QStringLiteral("<style>")));
    CHECK(html.contains(QStringLiteral("max-width: 100%")));
    CHECK_FALSE(html.contains(QStringLiteral("<script")));
    CHECK_FALSE(html.contains(QStringLiteral("<b>")));
    CHECK(html.contains(QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;")));
    CHECK(html.contains(QStringLiteral("Evaluation of &lt;bank&gt; &amp; &quot;scores&quot;")));
    CHECK(html.contains(QStringLiteral("it&#39;s fine")));
    CHECK(html.contains(QStringLiteral("<td class=\"num\">0.8123</td>"))); // numbers right-aligned
    CHECK(html.contains(QStringLiteral("<th class=\"num\">AUROC</th>")));  // with their header
    CHECK(html.contains(QStringLiteral("<td>entropy</td>")));

    // Every referenced file exists relative to the page; no absolute or external references.
    const QRegularExpression reference(QStringLiteral(R"re((?:src|href)="([^"]*)")re"));
    int references = 0;
    for (auto match = reference.globalMatch(html); match.hasNext();) {
        const QString target = QUrl::fromPercentEncoding(match.next().captured(1).toUtf8());
        INFO(target.toStdString());
        CHECK_FALSE(QDir::isAbsolutePath(target));
        CHECK_FALSE(target.contains(QStringLiteral("://")));
        CHECK(QFile::exists(dir.filePath(target)));
        ++references;
    }
    CHECK(references == 2);
    CHECK(html.contains(QStringLiteral("src=\"risk%20coverage.png\"")));
}

TEST_CASE("a missing image is named and nothing is written", "[html][bad-input]")
{
    QTemporaryDir temp;
    const QDir dir(temp.path());
    writeFile(dir.filePath(QStringLiteral("risk coverage.png")), "png"); // plots/reliability.png is missing
    const QString path = dir.filePath(QStringLiteral("report.html"));
    writeFile(path, "old report");
    const auto status = writeHtmlReport(samplePage(), path);
    CHECK_FALSE(status.ok());
    CHECK(status.error().contains(QStringLiteral("plots/reliability.png")));
    CHECK(readText(path) == QStringLiteral("old report"));
}

TEST_CASE("image paths outside the report's folder are refused", "[html][bad-input]")
{
    QTemporaryDir temp;
    const QDir dir(temp.path());
    writeFile(dir.filePath(QStringLiteral("outside.png")), "png");
    REQUIRE(dir.mkpath(QStringLiteral("page")));
    HtmlPage page;
    page.sections.push_back({QStringLiteral("s"), {}, {}, {{QStringLiteral("../outside.png"), QStringLiteral("x")}}});
    const QString path = dir.filePath(QStringLiteral("page/report.html"));
    const auto parent = writeHtmlReport(page, path);
    CHECK_FALSE(parent.ok());
    CHECK(parent.error().contains(QStringLiteral("../outside.png")));
    page.sections[0].images[0].fileName = dir.filePath(QStringLiteral("outside.png"));
    const auto absolute = writeHtmlReport(page, path);
    CHECK_FALSE(absolute.ok());
    CHECK(absolute.error().contains(QStringLiteral("relative")));
    CHECK_FALSE(QFile::exists(path));
}

TEST_CASE("a table row with the wrong number of cells is refused", "[html][bad-input]")
{
    QTemporaryDir temp;
    HtmlPage page;
    HtmlTable table;
    table.caption = QStringLiteral("metrics");
    table.header << QStringLiteral("a") << QStringLiteral("b");
    table.rows.push_back({QStringLiteral("1")});
    page.sections.push_back({QStringLiteral("s"), {}, {table}, {}});
    const QString path = QDir(temp.path()).filePath(QStringLiteral("report.html"));
    const auto status = writeHtmlReport(page, path);
    CHECK_FALSE(status.ok());
    CHECK(status.error().contains(QStringLiteral("row 1 has 1 cells but the header has 2")));
    CHECK_FALSE(QFile::exists(path));
}

TEST_CASE("an unwritable report path fails with a message naming it", "[html][bad-input]")
{
    QTemporaryDir temp;
    const QString path = QDir(temp.path()).filePath(QStringLiteral("no/such/dir/report.html"));
    HtmlPage page;
    page.title = QStringLiteral("t");
    const auto status = writeHtmlReport(page, path);
    CHECK_FALSE(status.ok());
    CHECK(status.error().contains(path));
    const auto empty = writeHtmlReport(page, QString());
    CHECK_FALSE(empty.ok());
}
