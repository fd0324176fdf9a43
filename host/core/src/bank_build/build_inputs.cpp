#include "slt/core/bank_build/build_inputs.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTextStream>

namespace slt::core {
namespace {

QString firstField(const QString& line)
{
    QString field = line.section(QLatin1Char(','), 0, 0).trimmed();
    if (field.size() >= 2 && field.startsWith(QLatin1Char('"')) && field.endsWith(QLatin1Char('"')))
        field = field.mid(1, field.size() - 2).replace(QStringLiteral("\"\""), QStringLiteral("\""));
    return field;
}

bool isHeader(const QString& field)
{
    static const QStringList names{QStringLiteral("image"), QStringLiteral("path"), QStringLiteral("file"), QStringLiteral("filename")};
    return names.contains(field.toLower());
}

Result<std::vector<BuildInput>> filesInFolder(const QString& folder, const QStringList& patterns, const QString& what)
{
    const QFileInfo info(folder);
    if (!info.exists())
        return Result<std::vector<BuildInput>>::failure(QStringLiteral("the folder '%1' does not exist").arg(folder));
    if (!info.isDir())
        return Result<std::vector<BuildInput>>::failure(QStringLiteral("'%1' is not a folder").arg(folder));
    const QDir dir(folder);
    std::vector<BuildInput> inputs;
    for (const QString& name : dir.entryList(patterns, QDir::Files | QDir::Readable, QDir::Name))
        inputs.push_back({name.toStdString(), dir.filePath(name)});
    if (inputs.empty())
        return Result<std::vector<BuildInput>>::failure(
            QStringLiteral("the folder '%1' holds no %2 (%3)").arg(folder, what, patterns.join(QStringLiteral(", "))));
    return inputs;
}

} // namespace

Result<std::vector<BuildInput>> imagesFromCsv(const QString& csv)
{
    QFile file(csv);
    if (!QFileInfo(csv).isFile() || !file.open(QIODevice::ReadOnly | QIODevice::Text))
        return Result<std::vector<BuildInput>>::failure(QStringLiteral("cannot read the image list '%1'").arg(csv));
    const QDir base = QFileInfo(csv).absoluteDir();
    QTextStream in(&file);
    std::vector<BuildInput> inputs;
    for (int number = 1; !in.atEnd(); ++number) {
        const QString line = in.readLine();
        if (line.trimmed().isEmpty())
            continue;
        const QString field = firstField(line);
        if (number == 1 && isHeader(field))
            continue;
        if (field.isEmpty())
            return Result<std::vector<BuildInput>>::failure(QStringLiteral("'%1' line %2: the first column (the image path) is empty").arg(csv).arg(number));
        inputs.push_back({field.toStdString(), QDir::isAbsolutePath(field) ? field : base.filePath(field)});
    }
    if (inputs.empty())
        return Result<std::vector<BuildInput>>::failure(QStringLiteral("the image list '%1' names no image").arg(csv));
    return inputs;
}

Result<std::vector<BuildInput>> imagesInFolder(const QString& folder)
{
    return filesInFolder(folder, {QStringLiteral("*.png"), QStringLiteral("*.jpg"), QStringLiteral("*.jpeg"), QStringLiteral("*.tif"), QStringLiteral("*.tiff")},
                         QStringLiteral("images"));
}

Result<std::vector<BuildInput>> slidesInFolder(const QString& folder)
{
    return filesInFolder(folder,
                         {QStringLiteral("*.svs"), QStringLiteral("*.tif"), QStringLiteral("*.tiff"), QStringLiteral("*.ndpi"),
                          QStringLiteral("*.mrxs"), QStringLiteral("*.scn"), QStringLiteral("*.vms"), QStringLiteral("*.vmu"),
                          QStringLiteral("*.bif"), QStringLiteral("*.svslide")},
                         QStringLiteral("slides"));
}

Result<Shard> parseShard(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,6})/(\\d{1,6})$"));
    const auto match = pattern.match(text.trimmed());
    Shard shard;
    if (match.hasMatch()) {
        shard.index = match.captured(1).toInt();
        shard.count = match.captured(2).toInt();
        if (shard.count >= 1 && shard.index < shard.count)
            return shard;
    }
    return Result<Shard>::failure(QStringLiteral("--shard must read i/n with 0 <= i < n (for example 0/4), got '%1'").arg(text));
}

} // namespace slt::core
