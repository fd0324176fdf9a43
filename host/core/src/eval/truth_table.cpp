#include "slt/core/eval/truth_table.hpp"

#include <QFile>

#include <charconv>
#include <unordered_map>

namespace slt::core::eval {
namespace {

constexpr int32_t kNoTruth = -1;
constexpr int kNamedMissing = 5;

// Parses a whole field as a decimal integer (surrounding spaces allowed); false otherwise.
template <class T>
bool parseInteger(QByteArray field, T& out)
{
    field = field.trimmed();
    if (field.isEmpty())
        return false;
    const char* end = field.constData() + field.size();
    const auto [ptr, ec] = std::from_chars(field.constData(), end, out);
    return ec == std::errc() && ptr == end;
}

QString missingRowsMessage(const QString& path, const std::vector<int32_t>& column)
{
    int64_t missing = 0;
    QStringList named;
    for (size_t i = 0; i < column.size(); ++i)
        if (column[i] == kNoTruth && ++missing <= kNamedMissing)
            named << QString::number(i);
    if (missing == 0)
        return {};
    return QStringLiteral("'%1': %2 bank point(s) have no truth row (point ids %3%4)")
        .arg(path)
        .arg(missing)
        .arg(named.join(QStringLiteral(", ")), missing > kNamedMissing ? QStringLiteral(", ...") : QString());
}

class TruthReader {
public:
    TruthReader(QString path, int64_t points, const std::vector<int32_t>& classIds)
        : path_(std::move(path)), column_(static_cast<size_t>(points), kNoTruth)
    {
        for (size_t c = 0; c < classIds.size(); ++c)
            columnOfClass_.emplace(classIds[c], static_cast<int32_t>(c));
    }

    // Empty when the line is fine.
    QString readRow(const QByteArray& line, int64_t lineNumber)
    {
        const QByteArrayList fields = line.split(',');
        int64_t id = 0;
        int32_t classId = 0;
        if (fields.size() != 2 || !parseInteger(fields[0], id) || !parseInteger(fields[1], classId))
            return where(lineNumber) + QStringLiteral("expected 'point_id,true_class' (two integers), got '%1'")
                                           .arg(QString::fromUtf8(line.left(80)));
        if (id < 0 || id >= static_cast<int64_t>(column_.size()))
            return where(lineNumber) + QStringLiteral("point id %1 is not in the bank (it has points 0 to %2)")
                                           .arg(id)
                                           .arg(static_cast<int64_t>(column_.size()) - 1);
        const auto klass = columnOfClass_.find(classId);
        if (klass == columnOfClass_.end())
            return where(lineNumber) + QStringLiteral("class %1 is not in the bank's class schema").arg(classId);
        if (column_[id] != kNoTruth)
            return where(lineNumber) + QStringLiteral("point id %1 appears twice").arg(id);
        column_[id] = klass->second;
        return {};
    }

    QString where(int64_t lineNumber) const { return QStringLiteral("'%1' line %2: ").arg(path_).arg(lineNumber); }
    std::vector<int32_t>& column() { return column_; }

private:
    QString path_;
    std::vector<int32_t> column_;
    std::unordered_map<int32_t, int32_t> columnOfClass_;
};

} // namespace

Result<std::vector<int32_t>> readTruthCsv(const QString& path, int64_t points, const std::vector<int32_t>& classIds)
{
    using R = Result<std::vector<int32_t>>;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("cannot read the truth file '%1': %2").arg(path, file.errorString()));
    const QByteArray header = file.readLine().trimmed();
    if (header != "point_id,true_class")
        return R::failure(QStringLiteral("'%1' line 1: expected the header 'point_id,true_class', got '%2'")
                              .arg(path, QString::fromUtf8(header.left(80))));
    TruthReader reader(path, points, classIds);
    int64_t lineNumber = 1;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        if (const QString problem = reader.readRow(line, lineNumber); !problem.isEmpty())
            return R::failure(problem);
    }
    if (file.error() != QFileDevice::NoError)
        return R::failure(QStringLiteral("reading '%1' failed: %2").arg(path, file.errorString()));
    if (const QString problem = missingRowsMessage(path, reader.column()); !problem.isEmpty())
        return R::failure(problem);
    return std::move(reader.column());
}

} // namespace slt::core::eval
