#include "slt/core/bank/bank_dump.hpp"

#include "slt/core/bank/bank_metadata.hpp"
#include "slt/core/bank/loaded_bank.hpp"

#include <QFile>

#include <cstdio>
#include <memory>
#include <vector>

namespace slt::core {
namespace {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

// RFC 4180 quoting when the name needs it.
std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

void writeHeader(std::FILE* out, const BankMetadata& m)
{
    std::fputs("point_id,image,x,y,predicted_class", out);
    for (int32_t c = 0; c < m.classes(); ++c)
        std::fprintf(out, ",p%d", c);
    for (const std::string& name : m.metricNames)
        std::fprintf(out, ",%s", csvField(name).c_str());
    std::fputc('\n', out);
}

} // namespace

Status dumpBankCsv(const BankBackend& backend, const QString& bankPath, const QString& csvPath,
                   const BankProgress& progress)
{
    auto proxy = openBank(backend, bankPath, SLT_BANK_READ);
    if (!proxy)
        return Status::failure(proxy.error());
    auto raw = proxy->metadata();
    if (!raw)
        return Status::failure(QStringLiteral("'%1': %2").arg(bankPath, toQString(raw.status())));
    const BankMetadata m = BankMetadata::fromC(*raw);
    if (const QString problem = metadataProblem(m); !problem.isEmpty())
        return Status::failure(QStringLiteral("'%1' has inconsistent metadata: %2").arg(bankPath, problem));
    std::vector<std::string> images;
    for (int64_t i = 0; i < m.numImages; ++i)
        images.push_back(csvField(proxy->image_name(i)));

    std::unique_ptr<std::FILE, FileCloser> out(std::fopen(QFile::encodeName(csvPath).constData(), "w"));
    if (!out)
        return Status::failure(QStringLiteral("cannot write '%1'").arg(csvPath));
    writeHeader(out.get(), m);
    const int64_t rows = std::min(m.numPoints, kBankBatchRows);
    std::vector<int32_t> image(rows), predicted(rows);
    std::vector<float> x(rows), y(rows), probs(rows * m.classes()), scores(rows * m.metrics());
    for (int64_t first = 0; first < m.numPoints; first += kBankBatchRows) {
        slt_bank_columns c{};
        c.count = std::min(kBankBatchRows, m.numPoints - first);
        c.image_index = image.data();
        c.x = x.data();
        c.y = y.data();
        c.predicted_class = predicted.data();
        c.mean_probs = probs.data();
        c.scores = m.metrics() > 0 ? scores.data() : nullptr;
        if (const auto s = proxy->read_points(first, c); !s)
            return Status::failure(QStringLiteral("'%1': %2").arg(bankPath, toQString(s)));
        for (int64_t i = 0; i < c.count; ++i) {
            const int32_t img = image[i];
            const std::string& name = img >= 0 && img < static_cast<int32_t>(images.size()) ? images[img] : std::string();
            std::fprintf(out.get(), "%lld,%s,%.9g,%.9g,%d", static_cast<long long>(first + i), name.c_str(),
                         static_cast<double>(x[i]), static_cast<double>(y[i]), predicted[i]);
            for (int32_t k = 0; k < m.classes(); ++k)
                std::fprintf(out.get(), ",%.9g", static_cast<double>(probs[i * m.classes() + k]));
            for (int32_t k = 0; k < m.metrics(); ++k)
                std::fprintf(out.get(), ",%.9g", static_cast<double>(scores[i * m.metrics() + k]));
            std::fputc('\n', out.get());
        }
        report(progress, first + c.count, m.numPoints);
    }
    if (std::ferror(out.get()) || std::fclose(out.release()) != 0)
        return Status::failure(QStringLiteral("writing '%1' failed (disk full?)").arg(csvPath));
    return {};
}

} // namespace slt::core
