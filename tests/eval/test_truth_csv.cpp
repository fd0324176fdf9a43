// The truth CSV reader: every malformed file is a message naming the file and line, never a partial result.
#include "catch_qt.hpp"

#include <slt/core/eval/truth_table.hpp>

#include <QFile>
#include <QTemporaryDir>

using namespace slt::core::eval;

namespace {

const std::vector<int32_t> kClassIds{0, 1, 2, 5}; // column 3 holds class id 5

QString writeCsv(const QTemporaryDir& dir, const QByteArray& text)
{
    const QString path = dir.filePath(QStringLiteral("truth.csv"));
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
    return path;
}

QString failure(const QByteArray& text, int64_t points = 3)
{
    QTemporaryDir dir;
    auto result = readTruthCsv(writeCsv(dir, text), points, kClassIds);
    REQUIRE_FALSE(result.ok());
    return result.error();
}

} // namespace

TEST_CASE("truth csv maps class ids to probability columns", "[eval]")
{
    QTemporaryDir dir;
    auto truth = readTruthCsv(writeCsv(dir, "point_id,true_class\r\n2,5\r\n0,1\r\n\r\n1, 0\r\n"), 3, kClassIds);
    INFO(truth.error().toStdString());
    REQUIRE(truth.ok());
    CHECK(*truth == std::vector<int32_t>{1, 0, 3});
}

TEST_CASE("truth csv bad input", "[eval]")
{
    CHECK(failure("id,class\n0,1\n").contains(QStringLiteral("line 1: expected the header 'point_id,true_class'")));
    CHECK(failure("").contains(QStringLiteral("expected the header")));
    CHECK(failure("point_id,true_class\n0,1\n1\n2,1\n").contains(QStringLiteral("line 3: expected 'point_id,true_class'")));
    CHECK(failure("point_id,true_class\n0,1,2\n").contains(QStringLiteral("line 2")));
    CHECK(failure("point_id,true_class\n0,x\n").contains(QStringLiteral("two integers")));
    CHECK(failure("point_id,true_class\n0,1.5\n").contains(QStringLiteral("two integers")));
    CHECK(failure("point_id,true_class\n0,1\n7,1\n").contains(QStringLiteral("line 3: point id 7 is not in the bank")));
    CHECK(failure("point_id,true_class\n-1,1\n").contains(QStringLiteral("point id -1 is not in the bank")));
    CHECK(failure("point_id,true_class\n0,1\n1,3\n").contains(QStringLiteral("line 3: class 3 is not in the bank's class schema")));
    CHECK(failure("point_id,true_class\n0,1\n0,2\n").contains(QStringLiteral("line 3: point id 0 appears twice")));
    CHECK(failure("point_id,true_class\n1,1\n").contains(QStringLiteral("2 bank point(s) have no truth row (point ids 0, 2)")));
    CHECK(failure("point_id,true_class\n", 10).contains(QStringLiteral("point ids 0, 1, 2, 3, 4, ...")));
    auto missing = readTruthCsv(QStringLiteral("/nonexistent/truth.csv"), 3, kClassIds);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().contains(QStringLiteral("cannot read the truth file")));
}
